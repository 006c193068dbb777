package io.statejob.runtime.api.state;

import io.statejob.runtime.serialization.TypeSerializer;

/** Describes a {@link ValueState}. */
public final class ValueStateDescriptor<T> extends StateDescriptor {
  private final TypeSerializer<T> serializer;

  public ValueStateDescriptor(String name, TypeSerializer<T> serializer) {
    super(name, StateKind.VALUE);
    this.serializer = serializer;
  }

  @Override
  public TypeSerializer<T> valueSerializer() {
    return serializer;
  }
}
