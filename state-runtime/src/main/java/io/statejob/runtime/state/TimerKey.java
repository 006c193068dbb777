package io.statejob.runtime.state;

import io.statejob.runtime.serialization.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;

/**
 * A timer of the current key: the map key of the timer state. The timestamp leads the serialized
 * form, so a key's timers are stored in time order.
 */
public record TimerKey(long timestamp, Object namespace) {
  /** The serializer id prefix of timer state keys; the namespace serializer's id follows. */
  public static final String ID_PREFIX = "timer:";

  /** Serializes timers whose namespace {@code namespace} serializes. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static TypeSerializer<TimerKey> serializer(TypeSerializer<?> namespace) {
    TypeSerializer<Object> ns = (TypeSerializer) namespace;
    return new TypeSerializer<>() {
      @Override
      public void serialize(TimerKey timer, DataOutput out) throws IOException {
        out.writeLong(timer.timestamp);
        ns.serialize(timer.namespace, out);
      }

      @Override
      public TimerKey deserialize(DataInput in) throws IOException {
        return new TimerKey(in.readLong(), ns.deserialize(in));
      }

      @Override
      public TimerKey copy(TimerKey value) {
        return value;
      }

      @Override
      public String id() {
        return ID_PREFIX + ns.id();
      }

      @Override
      public Object toJsonValue(TimerKey timer) {
        return Map.of("timestamp", timer.timestamp, "namespace", ns.toJsonValue(timer.namespace));
      }
    };
  }
}
