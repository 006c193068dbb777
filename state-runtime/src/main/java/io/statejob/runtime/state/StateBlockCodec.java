package io.statejob.runtime.state;

import io.statejob.runtime.api.state.MapStateDescriptor;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.api.state.StateKind;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.serialization.VarInts;
import io.statejob.runtime.snapshot.StateMeta;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of a block: the entries of one state in one key group, {@code [count] (key,
 * namespace, value)*}. A list value is {@code [n] element*}, a map value {@code [n] (key, value)*}.
 * Backends write blocks in snapshots; restore and the dump tool read them.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class StateBlockCodec {
  private final StateKind kind;
  private final TypeSerializer key;
  private final TypeSerializer namespace;
  private final TypeSerializer value;
  private final TypeSerializer userKey;

  public StateBlockCodec(
      StateKind kind,
      TypeSerializer<?> key,
      TypeSerializer<?> namespace,
      TypeSerializer<?> value,
      TypeSerializer<?> userKey) {
    this.kind = kind;
    this.key = key;
    this.namespace = namespace;
    this.value = value;
    this.userKey = userKey;
  }

  /** The codec of a state the job declares. */
  public static StateBlockCodec forDescriptor(
      StateDescriptor descriptor, TypeSerializer<?> key, TypeSerializer<?> namespace) {
    return new StateBlockCodec(
        descriptor.kind(),
        key,
        namespace,
        descriptor.valueSerializer(),
        descriptor instanceof MapStateDescriptor<?, ?> map ? map.userKeySerializer() : null);
  }

  /** A codec built from the serializer ids stored in {@code meta}. */
  public static StateBlockCodec forMeta(StateMeta meta, ClassLoader classLoader) {
    return new StateBlockCodec(
        meta.kind(),
        StateSerializers.forId(meta.keySerializer(), classLoader),
        StateSerializers.forId(meta.namespaceSerializer(), classLoader),
        StateSerializers.forId(meta.valueSerializer(), classLoader),
        meta.userKeySerializer() == null
            ? null
            : StateSerializers.forId(meta.userKeySerializer(), classLoader));
  }

  public TypeSerializer<Object> keySerializer() {
    return key;
  }

  public TypeSerializer<Object> namespaceSerializer() {
    return namespace;
  }

  public TypeSerializer<Object> valueSerializer() {
    return value;
  }

  public TypeSerializer<Object> userKeySerializer() {
    return userKey;
  }

  public void writeCount(DataOutput out, int count) throws IOException {
    VarInts.write(out, count);
  }

  /** Writes one entry; {@code stateValue} is a List for list state, a Map for map state. */
  public void writeEntry(DataOutput out, Object k, Object ns, Object stateValue)
      throws IOException {
    key.serialize(k, out);
    namespace.serialize(ns, out);
    switch (kind) {
      case LIST -> {
        List<Object> list = (List<Object>) stateValue;
        VarInts.write(out, list.size());
        for (Object element : list) {
          value.serialize(element, out);
        }
      }
      case MAP -> {
        Map<Object, Object> map = (Map<Object, Object>) stateValue;
        VarInts.write(out, map.size());
        for (Map.Entry<Object, Object> e : map.entrySet()) {
          userKey.serialize(e.getKey(), out);
          value.serialize(e.getValue(), out);
        }
      }
      default -> value.serialize(stateValue, out);
    }
  }

  /** Receives decoded entries. */
  @FunctionalInterface
  public interface EntryConsumer {
    void accept(Object key, Object namespace, Object value) throws IOException;
  }

  /** Reads a whole block. Lists come back as ArrayList, maps as LinkedHashMap. */
  public void readBlock(DataInput in, EntryConsumer consumer) throws IOException {
    int count = VarInts.read(in);
    for (int i = 0; i < count; i++) {
      Object k = key.deserialize(in);
      Object ns = namespace.deserialize(in);
      Object v =
          switch (kind) {
            case LIST -> {
              int n = VarInts.read(in);
              List<Object> list = new ArrayList<>(n);
              for (int j = 0; j < n; j++) {
                list.add(value.deserialize(in));
              }
              yield list;
            }
            case MAP -> {
              int n = VarInts.read(in);
              Map<Object, Object> map = new LinkedHashMap<>();
              for (int j = 0; j < n; j++) {
                map.put(userKey.deserialize(in), value.deserialize(in));
              }
              yield map;
            }
            default -> value.deserialize(in);
          };
      consumer.accept(k, ns, v);
    }
  }
}
