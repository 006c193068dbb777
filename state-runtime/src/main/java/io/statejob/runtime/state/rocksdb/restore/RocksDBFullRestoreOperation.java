package io.statejob.runtime.state.rocksdb.restore;

import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;
import io.statejob.runtime.state.rocksdb.database.RocksDBInstance;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;

/**
 * Restores the blocks of a full snapshot (of any backend) into a RocksDB instance: each block's
 * entries become the rows of its state's column.
 */
public final class RocksDBFullRestoreOperation {
  private RocksDBFullRestoreOperation() {}

  /** Writes the entries of {@code block}, state {@code meta} in {@code keyGroup}, as rows. */
  public static void restoreBlock(
      RocksDBInstance instance, StateMeta meta, int keyGroup, byte[] block) throws IOException {
    RocksDBColumn column = instance.restoredColumn(meta);
    try (RocksDBRowWriter writer = new RocksDBRowWriter(instance, column)) {
      column
          .codec()
          .readBlock(
              new DataInputStream(new ByteArrayInputStream(block)),
              (key, namespace, value) -> writer.write(keyGroup, key, namespace, value));
    }
  }
}
