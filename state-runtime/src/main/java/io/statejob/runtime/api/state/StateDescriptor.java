package io.statejob.runtime.api.state;

import io.statejob.runtime.serialization.TypeSerializer;
import java.util.Objects;
import java.util.Optional;

/**
 * Names a piece of keyed state and says how its values are serialized. The name is unique within
 * one function; the runtime scopes it by the function's uid.
 */
public abstract sealed class StateDescriptor
    permits ValueStateDescriptor,
        ListStateDescriptor,
        MapStateDescriptor,
        ReducingStateDescriptor,
        AggregatingStateDescriptor {
  private final String name;
  private final StateKind kind;
  private StateTtlConfig ttlConfig;

  StateDescriptor(String name, StateKind kind) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a state needs a name");
    }
    this.name = name;
    this.kind = kind;
  }

  public String name() {
    return name;
  }

  public StateKind kind() {
    return kind;
  }

  /**
   * Lets the state's entries expire as {@code config} says; see {@link StateTtlConfig}. Keyed state
   * of functions only: window contents and timers cannot expire.
   */
  public void enableTimeToLive(StateTtlConfig config) {
    this.ttlConfig = Objects.requireNonNull(config, "config");
  }

  /** The time to live of the state's entries, when they expire. */
  public Optional<StateTtlConfig> ttlConfig() {
    return Optional.ofNullable(ttlConfig);
  }

  /** Serializer of the stored value: the value, list element, map value or accumulator. */
  public abstract TypeSerializer<?> valueSerializer();
}
