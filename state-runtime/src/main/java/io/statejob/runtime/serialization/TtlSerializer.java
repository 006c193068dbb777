package io.statejob.runtime.serialization;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stores a {@link TtlValue} as its timestamp (8 bytes, first, so a cleanup can read it without
 * decoding the value) followed by the value. Its id is {@code ttl:<the value's serializer id>}.
 */
public final class TtlSerializer<T> implements TypeSerializer<TtlValue<T>> {
  public static final String ID_PREFIX = "ttl:";

  private final TypeSerializer<T> valueSerializer;

  public TtlSerializer(TypeSerializer<T> valueSerializer) {
    this.valueSerializer = valueSerializer;
  }

  @Override
  public void serialize(TtlValue<T> value, DataOutput out) throws IOException {
    out.writeLong(value.lastAccessTimestamp());
    valueSerializer.serialize(value.value(), out);
  }

  @Override
  public TtlValue<T> deserialize(DataInput in) throws IOException {
    long timestamp = in.readLong();
    return new TtlValue<>(valueSerializer.deserialize(in), timestamp);
  }

  @Override
  public TtlValue<T> copy(TtlValue<T> value) {
    T copy = valueSerializer.copy(value.value());
    return copy == value.value() ? value : new TtlValue<>(copy, value.lastAccessTimestamp());
  }

  @Override
  public String id() {
    return ID_PREFIX + valueSerializer.id();
  }

  @Override
  public Object toJsonValue(TtlValue<T> value) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("value", valueSerializer.toJsonValue(value.value()));
    json.put("lastAccessTimestamp", value.lastAccessTimestamp());
    return json;
  }
}
