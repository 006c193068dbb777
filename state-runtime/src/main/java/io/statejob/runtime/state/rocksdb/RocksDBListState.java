package io.statejob.runtime.state.rocksdb;

import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.serialization.DataInputBuffer;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;
import io.statejob.runtime.state.rocksdb.database.RocksDBResources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;

/**
 * A list as one row: elements joined by a delimiter, appended with RocksDB merges so an add never
 * reads the list. An add that could make the row larger than Java can read is rejected before it is
 * written ({@link io.statejob.runtime.state.rocksdb.database.ListSizeGuard}, which bounds list
 * sizes per key group in memory): one RocksDB call per add, the merge.
 */
final class RocksDBListState<T> extends AbstractRocksDBState implements ListState<T> {
  private final TypeSerializer<T> serializer;

  @SuppressWarnings("unchecked")
  RocksDBListState(RocksDBKeyedStateBackend<?> backend, RocksDBColumn column) {
    super(backend, column);
    this.serializer = (TypeSerializer<T>) column.codec().valueSerializer();
  }

  @Override
  public Iterable<T> get() {
    try {
      DataOutputBuffer key = key();
      int length = db.get(column.handle(), key.array(), key.length());
      return length < 0 ? List.of() : parse(db.lastValue(length), serializer);
    } catch (RocksDBException | IOException e) {
      throw failure(e);
    }
  }

  /** The elements of a list row. */
  static <T> List<T> parse(DataInputBuffer in, TypeSerializer<T> serializer) throws IOException {
    List<T> elements = new ArrayList<>();
    while (true) {
      elements.add(serializer.deserialize(in));
      if (in.available() == 0) {
        return elements;
      }
      in.readByte(); // the delimiter
    }
  }

  @Override
  public void add(T value) {
    addAll(List.of(value));
  }

  @Override
  public void addAll(List<T> values) {
    if (values.isEmpty()) {
      return;
    }
    try {
      join(values);
      column.listGuard().beforeAppend(key(), backend.scratch.length());
      db.merge(column.handle(), key(), backend.scratch);
    } catch (RocksDBException | IOException | IllegalStateException e) {
      throw failure(e);
    }
  }

  @Override
  public void update(List<T> values) {
    if (values == null || values.isEmpty()) {
      clear();
      return;
    }
    try {
      join(values);
      column.listGuard().replaced(key(), backend.scratch.length());
      db.put(column.handle(), key(), backend.scratch);
    } catch (RocksDBException | IOException | IllegalStateException e) {
      throw failure(e);
    }
  }

  /** Serializes {@code values} with delimiters into the backend's scratch buffer. */
  private void join(List<T> values) throws IOException {
    DataOutputBuffer out = backend.scratch;
    out.reset();
    for (int i = 0; i < values.size(); i++) {
      if (values.get(i) == null) {
        throw new NullPointerException("list state elements must not be null");
      }
      if (i > 0) {
        out.writeByte(RocksDBResources.LIST_DELIMITER);
      }
      serializer.serialize(values.get(i), out);
    }
  }
}
