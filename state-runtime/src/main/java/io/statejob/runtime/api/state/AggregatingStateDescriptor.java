package io.statejob.runtime.api.state;

import io.statejob.runtime.serialization.TypeSerializer;

/** Describes an {@link AggregatingState}; the serializer is the accumulator's. */
public final class AggregatingStateDescriptor<IN, ACC, OUT> extends StateDescriptor {
  private final AggregateFunction<IN, ACC, OUT> function;
  private final TypeSerializer<ACC> accumulatorSerializer;

  public AggregatingStateDescriptor(
      String name,
      AggregateFunction<IN, ACC, OUT> function,
      TypeSerializer<ACC> accumulatorSerializer) {
    super(name, StateKind.AGGREGATING);
    this.function = function;
    this.accumulatorSerializer = accumulatorSerializer;
  }

  public AggregateFunction<IN, ACC, OUT> function() {
    return function;
  }

  @Override
  public TypeSerializer<ACC> valueSerializer() {
    return accumulatorSerializer;
  }
}
