package io.statejob.runtime.state;

import io.statejob.runtime.api.windowing.TimeWindow;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.serialization.TtlSerializer;
import io.statejob.runtime.serialization.TypeSerializer;

/**
 * Finds the serializer of stored state by the id in its metadata, so state can be decoded without
 * the job's code: the built-in and POJO serializers, and those of the keys and namespaces the
 * runtime keeps for timers and windows.
 */
public final class StateSerializers {
  private StateSerializers() {}

  /** The serializer stored under {@code id}, loading POJO classes from {@code classLoader}. */
  public static TypeSerializer<?> forId(String id, ClassLoader classLoader) {
    if (id.equals(TimeWindow.SERIALIZER.id())) {
      return TimeWindow.SERIALIZER;
    }
    if (id.startsWith(TtlSerializer.ID_PREFIX)) {
      return new TtlSerializer<>(
          forId(id.substring(TtlSerializer.ID_PREFIX.length()), classLoader));
    }
    if (id.startsWith(TimerKey.ID_PREFIX)) {
      return TimerKey.serializer(forId(id.substring(TimerKey.ID_PREFIX.length()), classLoader));
    }
    return Serializers.forId(id, classLoader);
  }
}
