package io.statejob.runtime.state.rocksdb;

import io.statejob.runtime.api.state.ReduceFunction;
import io.statejob.runtime.api.state.ReducingState;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;

final class RocksDBReducingState<T> extends AbstractRocksDBState implements ReducingState<T> {
  private final ReduceFunction<T> function;
  private final TypeSerializer<T> serializer;

  @SuppressWarnings("unchecked")
  RocksDBReducingState(
      RocksDBKeyedStateBackend<?> backend, RocksDBColumn column, ReduceFunction<T> function) {
    super(backend, column);
    this.function = function;
    this.serializer = (TypeSerializer<T>) column.codec().valueSerializer();
  }

  @Override
  public T get() {
    return read(serializer);
  }

  @Override
  public void add(T value) {
    T accumulated = get();
    try {
      write(serializer, accumulated == null ? value : function.reduce(accumulated, value));
    } catch (Exception e) {
      throw failure(e);
    }
  }
}
