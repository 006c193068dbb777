package io.statejob.runtime.serialization;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Writes and reads values of one type in a stable binary form. The {@link #id()} is stored in
 * checkpoint metadata so that restore can check compatibility and tools can decode state.
 *
 * @param <T> the value type
 */
public interface TypeSerializer<T> {
  void serialize(T value, DataOutput out) throws IOException;

  T deserialize(DataInput in) throws IOException;

  /**
   * A copy safe to mutate independently of {@code value}. Immutable types return the value itself.
   */
  T copy(T value);

  /** Stable identifier, e.g. {@code long}, {@code string}, {@code pojo:com.example.Event}. */
  String id();

  /** A JSON-friendly view of a value (numbers, strings, maps, lists), for state dumps. */
  default Object toJsonValue(T value) {
    return value;
  }
}
