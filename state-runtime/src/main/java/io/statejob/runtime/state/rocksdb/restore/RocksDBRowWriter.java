package io.statejob.runtime.state.rocksdb.restore;

import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;
import io.statejob.runtime.state.rocksdb.database.RocksDBInstance;
import io.statejob.runtime.state.rocksdb.database.RocksDBResources;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;

/** Writes restored entries (decoded from blocks) as rows of one column. */
final class RocksDBRowWriter {
  private final RocksDBInstance instance;
  private final RocksDBColumn column;
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
          instance.put(column.handle(), key, value);
        }
        case MAP -> {
          for (Map.Entry<Object, Object> entry : ((Map<Object, Object>) stateValue).entrySet()) {
            row.reset();
            row.write(key.array(), 0, key.length());
            column.codec().userKeySerializer().serialize(entry.getKey(), row);
            value.reset();
            column.codec().valueSerializer().serialize(entry.getValue(), value);
            instance.put(column.handle(), row, value);
          }
        }
        default -> {
          value.reset();
          column.codec().valueSerializer().serialize(stateValue, value);
          instance.put(column.handle(), key, value);
        }
      }
    } catch (RocksDBException e) {
      throw new IOException(
          "cannot restore state '" + column.meta().name() + "': " + e.getMessage(), e);
    }
  }
}
