package io.statejob.runtime.state.rocksdb.database;

import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.state.StateBlockCodec;
import org.rocksdb.ColumnFamilyHandle;

/**
 * One state's column family, and for list state the column family that tracks each list's size in
 * bytes, so a list that would outgrow what Java can read is rejected when written.
 *
 * @param meta how the state is stored
 * @param codec reads and writes its entries as blocks
 * @param handle the column family of its rows
 * @param sizes the column family of list sizes; null for other kinds
 * @param listSizes the sizes as the task sees them, cached in front of {@code sizes}; null for
 *     other kinds and for a snapshot's columns, which are only read
 */
public record RocksDBColumn(
    StateMeta meta,
    StateBlockCodec codec,
    ColumnFamilyHandle handle,
    ColumnFamilyHandle sizes,
    ListSizes listSizes) {
  /** Names the size column family of a list state: this prefix and the state's name. */
  public static final String SIZE_PREFIX = "__size__.";

  /** The same column families, read and written as the job now declares the state. */
  public RocksDBColumn withCodec(StateMeta declared, StateBlockCodec declaredCodec) {
    return new RocksDBColumn(declared, declaredCodec, handle, sizes, listSizes);
  }
}
