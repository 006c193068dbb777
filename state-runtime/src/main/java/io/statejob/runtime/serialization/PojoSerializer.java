package io.statejob.runtime.serialization;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Serializes POJOs and records as CBOR through Jackson: compact, schema-tolerant (new fields get
 * defaults, removed fields are skipped) and free of Java serialization.
 *
 * @param <T> the POJO type
 */
public final class PojoSerializer<T> implements TypeSerializer<T> {
  static final String ID_PREFIX = "pojo:";
  private static final ObjectMapper CBOR =
      CBORMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .findAndAddModules()
          .build();

  private final Class<T> type;

  public PojoSerializer(Class<T> type) {
    this.type = type;
  }

  @Override
  public void serialize(T value, DataOutput out) throws IOException {
    byte[] bytes = CBOR.writeValueAsBytes(value);
    VarInts.write(out, bytes.length);
    out.write(bytes);
  }

  @Override
  public T deserialize(DataInput in) throws IOException {
    byte[] bytes = new byte[VarInts.read(in)];
    in.readFully(bytes);
    return CBOR.readValue(bytes, type);
  }

  @Override
  public T copy(T value) {
    try {
      return CBOR.readValue(CBOR.writeValueAsBytes(value), type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String id() {
    return ID_PREFIX + type.getName();
  }

  @Override
  public Object toJsonValue(T value) {
    return CBOR.convertValue(value, Object.class);
  }
}
