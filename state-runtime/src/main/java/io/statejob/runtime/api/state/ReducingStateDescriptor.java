package io.statejob.runtime.api.state;

import io.statejob.runtime.serialization.TypeSerializer;

/** Describes a {@link ReducingState}. */
public final class ReducingStateDescriptor<T> extends StateDescriptor {
  private final ReduceFunction<T> function;
  private final TypeSerializer<T> serializer;

  public ReducingStateDescriptor(
      String name, ReduceFunction<T> function, TypeSerializer<T> serializer) {
    super(name, StateKind.REDUCING);
    this.function = function;
    this.serializer = serializer;
  }

  public ReduceFunction<T> function() {
    return function;
  }

  @Override
  public TypeSerializer<T> valueSerializer() {
    return serializer;
  }
}
