package io.statejob.runtime.serialization;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serializes whatever record a job sends from one worker to another: strings and numbers by tag,
 * any other POJO or Java record as its class name and CBOR, so a pipeline needs no serializer per
 * {@code keyBy}. Class names are resolved in the job's class loader.
 */
public final class AnyRecordSerializer implements TypeSerializer<Object> {
  private static final byte STRING = 1;
  private static final byte LONG = 2;
  private static final byte INT = 3;
  private static final byte DOUBLE = 4;
  private static final byte POJO = 5;
  private static final ObjectMapper CBOR =
      CBORMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .findAndAddModules()
          .build();

  private final ClassLoader classLoader;
  private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();

  public AnyRecordSerializer(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  @Override
  public void serialize(Object value, DataOutput out) throws IOException {
    if (value instanceof String s) {
      out.writeByte(STRING);
      Serializers.STRING.serialize(s, out);
    } else if (value instanceof Long l) {
      out.writeByte(LONG);
      out.writeLong(l);
    } else if (value instanceof Integer i) {
      out.writeByte(INT);
      out.writeInt(i);
    } else if (value instanceof Double d) {
      out.writeByte(DOUBLE);
      out.writeDouble(d);
    } else {
      out.writeByte(POJO);
      out.writeUTF(value.getClass().getName());
      byte[] bytes = CBOR.writeValueAsBytes(value);
      VarInts.write(out, bytes.length);
      out.write(bytes);
    }
  }

  @Override
  public Object deserialize(DataInput in) throws IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case STRING -> Serializers.STRING.deserialize(in);
      case LONG -> in.readLong();
      case INT -> in.readInt();
      case DOUBLE -> in.readDouble();
      case POJO -> {
        Class<?> type = classOf(in.readUTF());
        byte[] bytes = new byte[VarInts.read(in)];
        in.readFully(bytes);
        yield CBOR.readValue(bytes, type);
      }
      default -> throw new IOException("unknown record tag " + tag);
    };
  }

  private Class<?> classOf(String name) throws IOException {
    Class<?> known = classes.get(name);
    if (known != null) {
      return known;
    }
    try {
      Class<?> loaded = Class.forName(name, false, classLoader);
      classes.put(name, loaded);
      return loaded;
    } catch (ClassNotFoundException e) {
      throw new IOException(
          "a record of class " + name + " arrived, which the job does not have", e);
    }
  }

  @Override
  public Object copy(Object value) {
    DataOutputBuffer out = new DataOutputBuffer(64);
    try {
      serialize(value, out);
      return deserialize(new DataInputBuffer().reset(out.array(), 0, out.length()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String id() {
    return "any-record";
  }
}
