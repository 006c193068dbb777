package io.statejob.runtime.api.state;

import io.statejob.runtime.serialization.TypeSerializer;

/** Describes a {@link ListState}, keyed or operator state. */
public final class ListStateDescriptor<T> extends StateDescriptor {
  private final TypeSerializer<T> elementSerializer;

  public ListStateDescriptor(String name, TypeSerializer<T> elementSerializer) {
    super(name, StateKind.LIST);
    this.elementSerializer = elementSerializer;
  }

  @Override
  public TypeSerializer<T> valueSerializer() {
    return elementSerializer;
  }
}
