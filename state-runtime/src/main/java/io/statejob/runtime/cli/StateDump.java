package io.statejob.runtime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.checkpoint.SubtaskSnapshotFormat;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.serialization.VoidNamespace;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.KeyGroupBlockConsumer;
import io.statejob.runtime.snapshot.OperatorStateSnapshot;
import io.statejob.runtime.snapshot.SourcePosition;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.StateBlockCodec;
import io.statejob.runtime.state.StateSerializers;
import io.statejob.runtime.state.rocksdb.restore.IncrementalSnapshotReader;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every entry of a checkpoint as one JSON object per line, in an order that depends only on the
 * state (state name, key group, serialized key), so two checkpoints compare with {@code diff}.
 */
public final class StateDump {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private StateDump() {}

  public static List<String> lines(
      CompletedCheckpoint checkpoint, RuntimeConfig config, ClassLoader classLoader)
      throws IOException {
    List<SortableLine> keyed = new ArrayList<>();
    Map<String, StateBlockCodec> codecs = new HashMap<>();
    for (SubtaskState subtask : checkpoint.metadata().subtasks()) {
      KeyGroupBlockConsumer keyedLines =
          (state, keyGroup, block) -> {
            StateBlockCodec codec =
                codecs.computeIfAbsent(
                    state.name(), n -> StateBlockCodec.forMeta(state, classLoader));
            codec.readBlock(
                new DataInputStream(new ByteArrayInputStream(block)),
                (key, namespace, value) -> {
                  Map<String, Object> line = new LinkedHashMap<>();
                  line.put("type", "keyed");
                  line.put("state", state.name());
                  line.put("keyGroup", keyGroup);
                  line.put("key", codec.keySerializer().toJsonValue(key));
                  if (namespace != VoidNamespace.INSTANCE) {
                    line.put("namespace", String.valueOf(namespace));
                  }
                  line.put("value", jsonValue(state, codec, value));
                  keyed.add(
                      new SortableLine(
                          state.name(),
                          keyGroup,
                          serialize(codec.keySerializer(), key),
                          json(line)));
                });
          };
      SubtaskSnapshotFormat.readKeyGroups(subtask, subtask.keyGroupRange(), config, keyedLines);
      if (subtask.incremental().isPresent()) {
        IncrementalSnapshotReader.exportBlocks(
            subtask, subtask.keyGroupRange(), config, keyedLines);
      }
    }
    List<String> result = new ArrayList<>();
    keyed.sort(SortableLine.ORDER);
    keyed.forEach(l -> result.add(l.json()));
    for (SubtaskState subtask : checkpoint.metadata().subtasks()) {
      for (OperatorStateSnapshot state :
          SubtaskSnapshotFormat.readOperatorStates(subtask, config)) {
        result.add(json(operatorLine(subtask.subtask(), state, classLoader)));
      }
    }
    for (Map.Entry<String, SourcePosition> split : checkpoint.metadata().splits().entrySet()) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("type", "split");
      line.put("split", split.getKey());
      line.put("offset", split.getValue().offset());
      if (split.getValue().maxTimestamp() != Long.MIN_VALUE) {
        line.put("maxTimestamp", split.getValue().maxTimestamp());
      }
      result.add(json(line));
    }
    return result;
  }

  private record SortableLine(String state, int keyGroup, byte[] key, String json) {
    static final Comparator<SortableLine> ORDER =
        Comparator.comparing(SortableLine::state)
            .thenComparingInt(SortableLine::keyGroup)
            .thenComparing(SortableLine::key, Arrays::compareUnsigned)
            .thenComparing(SortableLine::json);
  }

  @SuppressWarnings("unchecked")
  private static Object jsonValue(StateMeta state, StateBlockCodec codec, Object value) {
    TypeSerializer<Object> values = codec.valueSerializer();
    return switch (state.kind()) {
      case LIST -> ((List<Object>) value).stream().map(values::toJsonValue).toList();
      case MAP -> {
        TypeSerializer<Object> keys = codec.userKeySerializer();
        List<Object[]> pairs = new ArrayList<>();
        ((Map<Object, Object>) value)
            .forEach((k, v) -> pairs.add(new Object[] {serialize(keys, k), k, v}));
        pairs.sort((a, b) -> Arrays.compareUnsigned((byte[]) a[0], (byte[]) b[0]));
        yield pairs.stream()
            .map(p -> List.of(keys.toJsonValue(p[1]), values.toJsonValue(p[2])))
            .toList();
      }
      default -> values.toJsonValue(value);
    };
  }

  private static Map<String, Object> operatorLine(
      int subtask, OperatorStateSnapshot state, ClassLoader classLoader) throws IOException {
    TypeSerializer<?> serializer = StateSerializers.forId(state.serializerId(), classLoader);
    List<Object> elements = new ArrayList<>();
    for (byte[] bytes : state.elements()) {
      elements.add(decode(serializer, bytes));
    }
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("type", "operator");
    line.put("state", state.name());
    line.put("mode", state.mode().name().toLowerCase(java.util.Locale.ROOT));
    line.put("subtask", subtask);
    line.put("elements", elements);
    return line;
  }

  @SuppressWarnings("unchecked")
  private static <T> Object decode(TypeSerializer<T> serializer, byte[] bytes) throws IOException {
    T value = serializer.deserialize(new DataInputStream(new ByteArrayInputStream(bytes)));
    return serializer.toJsonValue(value);
  }

  private static byte[] serialize(TypeSerializer<Object> serializer, Object value) {
    DataOutputBuffer out = new DataOutputBuffer(32);
    try {
      serializer.serialize(value, out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String json(Object value) throws JsonProcessingException {
    return JSON.writeValueAsString(value);
  }
}
