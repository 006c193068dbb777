package io.statejob.runtime.api.state;

import io.statejob.runtime.serialization.TypeSerializer;

/** Describes a {@link MapState}. */
public final class MapStateDescriptor<K, V> extends StateDescriptor {
  private final TypeSerializer<K> keySerializer;
  private final TypeSerializer<V> valueSerializer;

  public MapStateDescriptor(
      String name, TypeSerializer<K> keySerializer, TypeSerializer<V> valueSerializer) {
    super(name, StateKind.MAP);
    this.keySerializer = keySerializer;
    this.valueSerializer = valueSerializer;
  }

  public TypeSerializer<K> userKeySerializer() {
    return keySerializer;
  }

  @Override
  public TypeSerializer<V> valueSerializer() {
    return valueSerializer;
  }
}
