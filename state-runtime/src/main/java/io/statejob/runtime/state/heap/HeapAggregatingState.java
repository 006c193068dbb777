package io.statejob.runtime.state.heap;

import io.statejob.runtime.api.state.AggregateFunction;
import io.statejob.runtime.api.state.AggregatingState;
import io.statejob.runtime.serialization.TypeSerializer;

final class HeapAggregatingState<IN, ACC, OUT> extends AbstractHeapState
    implements AggregatingState<IN, OUT> {
  private final AggregateFunction<IN, ACC, OUT> function;
  private final TypeSerializer<ACC> accumulatorSerializer;

  HeapAggregatingState(
      HeapKeyedStateBackend<?> backend,
      HeapStateTable table,
      AggregateFunction<IN, ACC, OUT> function,
      TypeSerializer<ACC> accumulatorSerializer) {
    super(backend, table);
    this.function = function;
    this.accumulatorSerializer = accumulatorSerializer;
  }

  @Override
  @SuppressWarnings("unchecked")
  public OUT get() {
    ACC accumulator = (ACC) current();
    return accumulator == null ? null : function.getResult(accumulator);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void add(IN value) {
    ACC accumulator =
        (ACC) mutable(function::createAccumulator, acc -> accumulatorSerializer.copy((ACC) acc));
    ACC updated = function.add(value, accumulator);
    if (updated != accumulator) {
      putMutable(updated);
    }
  }
}
