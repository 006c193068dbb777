package io.statejob.runtime.state.rocksdb;

import io.statejob.runtime.api.state.AggregateFunction;
import io.statejob.runtime.api.state.AggregatingState;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.state.AccumulatorState;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;

final class RocksDBAggregatingState<IN, ACC, OUT> extends AbstractRocksDBState
    implements AggregatingState<IN, OUT>, AccumulatorState<ACC> {
  private final AggregateFunction<IN, ACC, OUT> function;
  private final TypeSerializer<ACC> serializer;

  @SuppressWarnings("unchecked")
  RocksDBAggregatingState(
      RocksDBKeyedStateBackend<?> backend,
      RocksDBColumn column,
      AggregateFunction<IN, ACC, OUT> function) {
    super(backend, column);
    this.function = function;
    this.serializer = (TypeSerializer<ACC>) column.codec().valueSerializer();
  }

  @Override
  public OUT get() {
    ACC accumulator = read(serializer);
    return accumulator == null ? null : function.getResult(accumulator);
  }

  @Override
  public void add(IN value) {
    ACC accumulator = read(serializer);
    write(
        serializer,
        function.add(value, accumulator == null ? function.createAccumulator() : accumulator));
  }

  @Override
  public ACC accumulator() {
    return read(serializer);
  }

  @Override
  public void setAccumulator(ACC accumulator) {
    write(serializer, accumulator);
  }
}
