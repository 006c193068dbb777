package io.statejob.runtime.state.heap;

import io.statejob.runtime.api.state.AggregateFunction;
import io.statejob.runtime.api.state.AggregatingState;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.state.AccumulatorState;

final class HeapAggregatingState<IN, ACC, OUT> extends AbstractHeapState
    implements AggregatingState<IN, OUT>, AccumulatorState<ACC> {
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

  @Override
  @SuppressWarnings("unchecked")
  public ACC accumulator() {
    // a copy when a snapshot still reads it, since merging may change the accumulator in place
    return current() == null
        ? null
        : (ACC) mutable(function::createAccumulator, acc -> accumulatorSerializer.copy((ACC) acc));
  }

  @Override
  public void setAccumulator(ACC accumulator) {
    putMutable(accumulator);
  }
}
