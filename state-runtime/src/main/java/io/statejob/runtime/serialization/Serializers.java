package io.statejob.runtime.serialization;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Base64;

/** The built-in serializers and the lookup of a serializer by its stored id. */
public final class Serializers {
  private Serializers() {}

  public static final TypeSerializer<Long> LONG =
      new Immutable<>("long") {
        @Override
        public void serialize(Long value, DataOutput out) throws IOException {
          out.writeLong(value);
        }

        @Override
        public Long deserialize(DataInput in) throws IOException {
          return in.readLong();
        }
      };

  public static final TypeSerializer<Integer> INT =
      new Immutable<>("int") {
        @Override
        public void serialize(Integer value, DataOutput out) throws IOException {
          out.writeInt(value);
        }

        @Override
        public Integer deserialize(DataInput in) throws IOException {
          return in.readInt();
        }
      };

  public static final TypeSerializer<Double> DOUBLE =
      new Immutable<>("double") {
        @Override
        public void serialize(Double value, DataOutput out) throws IOException {
          out.writeDouble(value);
        }

        @Override
        public Double deserialize(DataInput in) throws IOException {
          return in.readDouble();
        }
      };

  public static final TypeSerializer<Boolean> BOOLEAN =
      new Immutable<>("boolean") {
        @Override
        public void serialize(Boolean value, DataOutput out) throws IOException {
          out.writeBoolean(value);
        }

        @Override
        public Boolean deserialize(DataInput in) throws IOException {
          return in.readBoolean();
        }
      };

  /** UTF-8 with a var-int length, so strings longer than 64 KiB work (unlike writeUTF). */
  public static final TypeSerializer<String> STRING =
      new Immutable<>("string") {
        @Override
        public void serialize(String value, DataOutput out) throws IOException {
          byte[] bytes = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          VarInts.write(out, bytes.length);
          out.write(bytes);
        }

        @Override
        public String deserialize(DataInput in) throws IOException {
          byte[] bytes = new byte[VarInts.read(in)];
          in.readFully(bytes);
          return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
      };

  public static final TypeSerializer<byte[]> BYTES =
      new TypeSerializer<>() {
        @Override
        public void serialize(byte[] value, DataOutput out) throws IOException {
          VarInts.write(out, value.length);
          out.write(value);
        }

        @Override
        public byte[] deserialize(DataInput in) throws IOException {
          byte[] bytes = new byte[VarInts.read(in)];
          in.readFully(bytes);
          return bytes;
        }

        @Override
        public byte[] copy(byte[] value) {
          return value.clone();
        }

        @Override
        public String id() {
          return "bytes";
        }

        @Override
        public Object toJsonValue(byte[] value) {
          return Base64.getEncoder().encodeToString(value);
        }
      };

  /** The single namespace of state that is not scoped to a window. */
  public static final TypeSerializer<VoidNamespace> VOID_NAMESPACE =
      new Immutable<>("void") {
        @Override
        public void serialize(VoidNamespace value, DataOutput out) {}

        @Override
        public VoidNamespace deserialize(DataInput in) {
          return VoidNamespace.INSTANCE;
        }
      };

  /**
   * The built-in or POJO serializer stored under {@code id}, loading POJO classes from {@code
   * classLoader}. Serializers of the runtime's own state types are found by {@code
   * state.StateSerializers}.
   */
  public static TypeSerializer<?> forId(String id, ClassLoader classLoader) {
    return switch (id) {
      case "long" -> LONG;
      case "int" -> INT;
      case "double" -> DOUBLE;
      case "boolean" -> BOOLEAN;
      case "string" -> STRING;
      case "bytes" -> BYTES;
      case "void" -> VOID_NAMESPACE;
      default -> {
        if (id.startsWith(PojoSerializer.ID_PREFIX)) {
          String className = id.substring(PojoSerializer.ID_PREFIX.length());
          try {
            yield new PojoSerializer<>(Class.forName(className, false, classLoader));
          } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(
                "state was written with class " + className + ", which is not on the class path",
                e);
          }
        }
        throw new IllegalArgumentException("unknown serializer id '" + id + "'");
      }
    };
  }

  /** Base of serializers for immutable values: copy is the identity. */
  private abstract static class Immutable<T> implements TypeSerializer<T> {
    private final String id;

    Immutable(String id) {
      this.id = id;
    }

    @Override
    public T copy(T value) {
      return value;
    }

    @Override
    public String id() {
      return id;
    }
  }
}
