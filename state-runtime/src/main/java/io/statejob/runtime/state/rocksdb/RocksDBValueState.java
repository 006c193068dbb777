package io.statejob.runtime.state.rocksdb;

import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;

final class RocksDBValueState<T> extends AbstractRocksDBState implements ValueState<T> {
  private final TypeSerializer<T> serializer;

  @SuppressWarnings("unchecked")
  RocksDBValueState(RocksDBKeyedStateBackend<?> backend, RocksDBColumn column) {
    super(backend, column);
    this.serializer = (TypeSerializer<T>) column.codec().valueSerializer();
  }

  @Override
  public T value() {
    return read(serializer);
  }

  @Override
  public void update(T value) {
    if (value == null) {
      clear();
    } else {
      write(serializer, value);
    }
  }
}
