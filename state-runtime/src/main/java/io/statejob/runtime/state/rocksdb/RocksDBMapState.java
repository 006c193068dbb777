package io.statejob.runtime.state.rocksdb;

import io.statejob.runtime.api.state.MapState;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;
import io.statejob.runtime.state.rocksdb.database.RocksDBFiles;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/** A map as one row per entry, under the current key's prefix. */
final class RocksDBMapState<K, V> extends AbstractRocksDBState implements MapState<K, V> {
  private final TypeSerializer<K> keySerializer;
  private final TypeSerializer<V> valueSerializer;

  @SuppressWarnings("unchecked")
  RocksDBMapState(RocksDBKeyedStateBackend<?> backend, RocksDBColumn column) {
    super(backend, column);
    this.keySerializer = (TypeSerializer<K>) column.codec().userKeySerializer();
    this.valueSerializer = (TypeSerializer<V>) column.codec().valueSerializer();
  }

  /** The row key of {@code mapKey} under the current key, in the backend's row-key buffer. */
  private DataOutputBuffer rowKey(K mapKey) throws IOException {
    DataOutputBuffer prefix = key();
    DataOutputBuffer row = backend.rowKey;
    row.reset();
    row.write(prefix.array(), 0, prefix.length());
    keySerializer.serialize(mapKey, row);
    return row;
  }

  @Override
  public V get(K mapKey) {
    try {
      DataOutputBuffer row = rowKey(mapKey);
      int length = db.get(column.handle(), row.array(), row.length());
      return length < 0 ? null : valueSerializer.deserialize(db.lastValue(length));
    } catch (RocksDBException | IOException e) {
      throw failure(e);
    }
  }

  @Override
  public void put(K mapKey, V value) {
    if (value == null) {
      throw new NullPointerException("map state values must not be null");
    }
    try {
      DataOutputBuffer row = rowKey(mapKey);
      backend.scratch.reset();
      valueSerializer.serialize(value, backend.scratch);
      db.put(column.handle(), row, backend.scratch);
    } catch (RocksDBException | IOException | IllegalStateException e) {
      throw failure(e);
    }
  }

  @Override
  public void putAll(Map<K, V> entries) {
    entries.forEach(this::put);
  }

  @Override
  public void remove(K mapKey) {
    try {
      db.delete(column.handle(), rowKey(mapKey));
    } catch (RocksDBException | IOException e) {
      throw failure(e);
    }
  }

  @Override
  public boolean contains(K mapKey) {
    try {
      DataOutputBuffer row = rowKey(mapKey);
      return db.get(column.handle(), row.array(), row.length()) >= 0;
    } catch (RocksDBException | IOException e) {
      throw failure(e);
    }
  }

  @Override
  public Iterable<Map.Entry<K, V>> entries() {
    List<Map.Entry<K, V>> entries = new ArrayList<>();
    forEachRow(
        (row, value, prefixLength) ->
            entries.add(
                new AbstractMap.SimpleImmutableEntry<>(
                    keySerializer.deserialize(
                        backend.input.reset(row, prefixLength, row.length - prefixLength)),
                    valueSerializer.deserialize(backend.input.reset(value, 0, value.length)))));
    return entries;
  }

  @Override
  public boolean isEmpty() {
    byte[] prefix = prefix();
    try (RocksIterator it = db.db().newIterator(column.handle(), db.resources().readOptions)) {
      it.seek(prefix);
      return !(it.isValid() && RocksDBFiles.startsWith(it.key(), prefix));
    }
  }

  @Override
  public void clear() {
    try (WriteBatch batch = new WriteBatch()) {
      forEachRow((row, value, prefixLength) -> batch.delete(column.handle(), row));
      db.db().write(db.resources().writeOptions, batch);
    } catch (RocksDBException e) {
      throw failure(e);
    }
  }

  private byte[] prefix() {
    DataOutputBuffer key = key();
    return Arrays.copyOf(key.array(), key.length());
  }

  /** Visits a row of the current key's map. */
  @FunctionalInterface
  private interface RowVisitor {
    void accept(byte[] row, byte[] value, int prefixLength) throws IOException, RocksDBException;
  }

  private void forEachRow(RowVisitor visitor) {
    byte[] prefix = prefix();
    try (RocksIterator it = db.db().newIterator(column.handle(), db.resources().readOptions)) {
      for (it.seek(prefix); it.isValid() && RocksDBFiles.startsWith(it.key(), prefix); it.next()) {
        visitor.accept(it.key(), it.value(), prefix.length);
      }
    } catch (IOException | RocksDBException e) {
      throw failure(e);
    }
  }
}
