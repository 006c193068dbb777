package io.statejob.runtime.state.keyed;

import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.snapshot.IncompatibleStateException;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.state.KeyedBackendParameters;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.NamespacedState;
import io.statejob.runtime.state.StateBlockCodec;
import io.statejob.runtime.state.ttl.TtlStateFactory;
import io.statejob.runtime.state.ttl.TtlStateFactory.TtlState;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What every keyed backend does the same way: the current key and key group, the registry of states
 * by scoped name, and the check that restored state can be read as the job now declares it. A
 * backend supplies where state lives: how a state is created over its storage, and how a state was
 * written by the snapshot it restored.
 */
public abstract class AbstractKeyedStateBackend<K> implements KeyedStateBackend<K> {
  protected final KeyedBackendParameters<K> parameters;
  protected final KeyGroupRange range;
  private final Map<String, NamespacedState> states = new HashMap<>();
  private K currentKey;
  private int currentKeyGroup;

  protected AbstractKeyedStateBackend(KeyedBackendParameters<K> parameters) {
    this.parameters = parameters;
    this.range = parameters.keyGroupRange();
  }

  @Override
  public void setCurrentKey(K key, int keyGroup) {
    this.currentKey = key;
    this.currentKeyGroup = keyGroup;
  }

  @Override
  public K getCurrentKey() {
    return currentKey;
  }

  @Override
  public int getCurrentKeyGroup() {
    return currentKeyGroup;
  }

  @Override
  public final NamespacedState getOrCreateState(
      String scopedName, StateDescriptor descriptor, TypeSerializer<?> namespaceSerializer) {
    NamespacedState existing = states.get(scopedName);
    if (existing != null) {
      return existing;
    }
    Optional<TtlState> ttl = ttlState(scopedName, descriptor, namespaceSerializer);
    StateDescriptor stored = ttl.map(TtlState::stored).orElse(descriptor);
    TypeSerializer<K> keySerializer = parameters.keySerializer();
    StateMeta declared =
        StateMeta.of(scopedName, stored, keySerializer.id(), namespaceSerializer.id());
    restoredMeta(scopedName)
        .flatMap(restored -> restored.incompatibilityWith(declared))
        .ifPresent(
            problem -> {
              throw new IncompatibleStateException(problem);
            });
    NamespacedState created =
        createState(
            stored,
            declared,
            StateBlockCodec.forDescriptor(stored, keySerializer, namespaceSerializer));
    NamespacedState state = ttl.map(t -> t.decorator().apply(created)).orElse(created);
    states.put(scopedName, state);
    return state;
  }

  /** How a state with a time to live is stored and decorated; empty for other states. */
  private Optional<TtlState> ttlState(
      String scopedName, StateDescriptor descriptor, TypeSerializer<?> namespaceSerializer) {
    if (descriptor.ttlConfig().isEmpty()) {
      return Optional.empty();
    }
    if (namespaceSerializer != Serializers.VOID_NAMESPACE) {
      throw new IllegalArgumentException(
          "state '"
              + scopedName
              + "' is scoped by a window and has a time to live: window contents cannot expire,"
              + " the window's end clears them");
    }
    return Optional.of(
        TtlStateFactory.of(
            descriptor,
            descriptor.ttlConfig().get(),
            parameters.ttlTimeProvider(),
            (budget, expired) -> cleanUpExpired(scopedName, budget, expired)));
  }

  /** How restored state {@code scopedName} was written, when a snapshot held it. */
  protected abstract Optional<StateMeta> restoredMeta(String scopedName);

  /**
   * A handle on a state of {@code descriptor}'s kind over this backend's storage, with its restored
   * entries. Called once per state, after the restored state was found compatible.
   */
  protected abstract NamespacedState createState(
      StateDescriptor descriptor, StateMeta declared, StateBlockCodec codec);

  @Override
  public void close() {
    states.clear();
  }
}
