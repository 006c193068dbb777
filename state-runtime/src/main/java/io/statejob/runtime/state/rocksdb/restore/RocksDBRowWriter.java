package io.statejob.runtime.state.rocksdb.restore;

import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;
import io.statejob.runtime.state.rocksdb.database.RocksDBInstance;
import io.statejob.runtime.state.rocksdb.database.RocksDBResources;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Writes restored entries (decoded from blocks) as rows of one column, in write batches of about
 * {@value #BATCH_BYTES} bytes: one write per batch instead of one per row, as Flink's {@code
 * RocksDBWriteBatchWrapper} restores. {@link #close} writes the rest.
 */
final class RocksDBRowWriter implements AutoCloseable {
  static final int BATCH_BYTES = 2 << 20;

  private final RocksDBInstance instance;
  private final RocksDBColumn column;
  private final WriteBatch batch = new WriteBatch();
  private final DataOutputBuffer key = new DataOutputBuffer(64);
  private final DataOutputBuffer row = new DataOutputBuffer(64);
  private final DataOutputBuffer value = new DataOutputBuffer(256);

  RocksDBRowWriter(RocksDBInstance instance, RocksDBColumn column) {
    this.instance = instance;
    this.column = column;
  }

  @SuppressWarnings("unchecked")
  void write(int keyGroup, Object userKey, Object namespace, Object stateValue) throws IOException {
    key.reset();
    key.writeShort(keyGroup);
    column.codec().keySerializer().serialize(userKey, key);
    column.codec().namespaceSerializer().serialize(namespace, key);
    try {
      switch (column.meta().kind()) {
        case LIST -> {
          List<Object> elements = (List<Object>) stateValue;
          value.reset();
          for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
              value.writeByte(RocksDBResources.LIST_DELIMITER);
            }
            column.codec().valueSerializer().serialize(elements.get(i), value);
          }
          // no size bound row: the key group's lists are measured on its first append
          put(key, value);
        }
        case MAP -> {
          for (Map.Entry<Object, Object> entry : ((Map<Object, Object>) stateValue).entrySet()) {
            row.reset();
            row.write(key.array(), 0, key.length());
            column.codec().userKeySerializer().serialize(entry.getKey(), row);
            value.reset();
            column.codec().valueSerializer().serialize(entry.getValue(), value);
            put(row, value);
          }
        }
        default -> {
          value.reset();
          column.codec().valueSerializer().serialize(stateValue, value);
          put(key, value);
        }
      }
    } catch (RocksDBException e) {
      throw failure(e);
    }
  }

  private void put(DataOutputBuffer rowKey, DataOutputBuffer rowValue) throws RocksDBException {
    batch.put(
        column.handle(),
        Arrays.copyOf(rowKey.array(), rowKey.length()),
        Arrays.copyOf(rowValue.array(), rowValue.length()));
    if (batch.getDataSize() >= BATCH_BYTES) {
      instance.write(batch);
    }
  }

  /** Writes the rows not written yet and frees the batch. */
  @Override
  public void close() throws IOException {
    try (batch) {
      if (batch.count() > 0) {
        instance.write(batch);
      }
    } catch (RocksDBException e) {
      throw failure(e);
    }
  }

  private IOException failure(RocksDBException e) {
    return new IOException(
        "cannot restore state '" + column.meta().name() + "': " + e.getMessage(), e);
  }
}
