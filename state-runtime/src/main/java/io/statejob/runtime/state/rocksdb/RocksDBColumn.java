package io.statejob.runtime.state.rocksdb;

import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.state.StateBlockCodec;
import org.rocksdb.ColumnFamilyHandle;

/**
 * One state's column family, and for list state the column family that tracks each list's size in
 * bytes, so a list that would outgrow what Java can read is rejected when written.
 */
final class RocksDBColumn {
  static final String SIZE_PREFIX = "__size__.";

  final StateMeta meta;
  final StateBlockCodec codec;
  final ColumnFamilyHandle handle;
  final ColumnFamilyHandle sizes;

  RocksDBColumn(
      StateMeta meta, StateBlockCodec codec, ColumnFamilyHandle handle, ColumnFamilyHandle sizes) {
    this.meta = meta;
    this.codec = codec;
    this.handle = handle;
    this.sizes = sizes;
  }

  RocksDBColumn withCodec(StateMeta declared, StateBlockCodec declaredCodec) {
    return new RocksDBColumn(declared, declaredCodec, handle, sizes);
  }
}
