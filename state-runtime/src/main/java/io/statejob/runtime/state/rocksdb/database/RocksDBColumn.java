package io.statejob.runtime.state.rocksdb.database;

import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.state.StateBlockCodec;
import org.rocksdb.ColumnFamilyHandle;

/**
 * One state's column family, and for list state the column family of its lists' size bounds, so a
 * list that would outgrow what Java can read is rejected when written.
 *
 * @param meta how the state is stored
 * @param codec reads and writes its entries as blocks
 * @param handle the column family of its rows
 * @param bounds the column family of list size bounds, one row per key group; null for other kinds
 * @param listGuard the bounds as the task keeps them, written to {@code bounds}; null for other
 *     kinds and for a snapshot's columns, which are only read
 */
public record RocksDBColumn(
    StateMeta meta,
    StateBlockCodec codec,
    ColumnFamilyHandle handle,
    ColumnFamilyHandle bounds,
    ListSizeGuard listGuard) {
  /** Names the bounds column family of a list state: this prefix and the state's name. */
  public static final String BOUNDS_PREFIX = "__list-bounds__.";

  /** The same column families, read and written as the job now declares the state. */
  public RocksDBColumn withCodec(StateMeta declared, StateBlockCodec declaredCodec) {
    return new RocksDBColumn(declared, declaredCodec, handle, bounds, listGuard);
  }
}
