package io.statejob.runtime.state;

import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.api.state.OperatorStateStore;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.snapshot.IncompatibleStateException;
import io.statejob.runtime.snapshot.OperatorStateSnapshot;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Operator list state of every {@code CheckpointedFunction} on one worker, by scoped name. Small by
 * nature, so snapshots serialize it synchronously.
 */
public final class OperatorStateBackend {
  private final Map<String, OperatorListState<?>> states = new LinkedHashMap<>();
  private final Map<String, OperatorStateSnapshot> restored;

  /**
   * @param restored this worker's share of restored operator state, by scoped name
   */
  public OperatorStateBackend(Map<String, OperatorStateSnapshot> restored) {
    this.restored = new TreeMap<>(restored);
  }

  /** The store a function with uid {@code uid} sees. */
  public OperatorStateStore scopedTo(String uid) {
    return new OperatorStateStore() {
      @Override
      public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
        return register(
            uid + "." + descriptor.name(), descriptor, OperatorStateSnapshot.Mode.SPLIT);
      }

      @Override
      public <T> ListState<T> getUnionListState(ListStateDescriptor<T> descriptor) {
        return register(
            uid + "." + descriptor.name(), descriptor, OperatorStateSnapshot.Mode.UNION);
      }
    };
  }

  @SuppressWarnings("unchecked")
  private <T> ListState<T> register(
      String name, ListStateDescriptor<T> descriptor, OperatorStateSnapshot.Mode mode) {
    OperatorListState<?> existing = states.get(name);
    if (existing != null) {
      return (ListState<T>) existing;
    }
    TypeSerializer<T> serializer = descriptor.valueSerializer();
    OperatorListState<T> state = new OperatorListState<>(mode, serializer);
    OperatorStateSnapshot previous = restored.remove(name);
    if (previous != null) {
      if (!previous.serializerId().equals(serializer.id())) {
        throw new IncompatibleStateException(
            "operator state '"
                + name
                + "' was written with serializer "
                + previous.serializerId()
                + "; the job now declares "
                + serializer.id());
      }
      for (byte[] element : previous.elements()) {
        try {
          state.elements.add(
              serializer.deserialize(new DataInputStream(new ByteArrayInputStream(element))));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read operator state '" + name + "'", e);
        }
      }
    }
    states.put(name, state);
    return state;
  }

  /** Restored operator state that no function registered. */
  public Set<String> unclaimedRestoredStates() {
    return restored.keySet();
  }

  /** Serializes every state; unclaimed restored ones are carried over unchanged. */
  public List<OperatorStateSnapshot> snapshot() throws IOException {
    List<OperatorStateSnapshot> result = new ArrayList<>();
    DataOutputBuffer buffer = new DataOutputBuffer(256);
    for (Map.Entry<String, OperatorListState<?>> entry : states.entrySet()) {
      result.add(entry.getValue().snapshot(entry.getKey(), buffer));
    }
    result.addAll(restored.values());
    return result;
  }

  /** A list of elements held on the heap. */
  private static final class OperatorListState<T> implements ListState<T> {
    private final OperatorStateSnapshot.Mode mode;
    private final TypeSerializer<T> serializer;
    private final List<T> elements = new ArrayList<>();

    OperatorListState(OperatorStateSnapshot.Mode mode, TypeSerializer<T> serializer) {
      this.mode = mode;
      this.serializer = serializer;
    }

    @Override
    public Iterable<T> get() {
      return java.util.Collections.unmodifiableList(elements);
    }

    @Override
    public void add(T value) {
      elements.add(value);
    }

    @Override
    public void addAll(List<T> values) {
      elements.addAll(values);
    }

    @Override
    public void update(List<T> values) {
      elements.clear();
      elements.addAll(values);
    }

    @Override
    public void clear() {
      elements.clear();
    }

    OperatorStateSnapshot snapshot(String name, DataOutputBuffer buffer) throws IOException {
      List<byte[]> serialized = new ArrayList<>(elements.size());
      for (T element : elements) {
        buffer.reset();
        serializer.serialize(element, buffer);
        serialized.add(buffer.toByteArray());
      }
      return new OperatorStateSnapshot(name, mode, serializer.id(), serialized);
    }
  }
}
