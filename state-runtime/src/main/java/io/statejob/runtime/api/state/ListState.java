package io.statejob.runtime.api.state;

import java.util.List;

/** A list of values per key. */
public interface ListState<T> extends State {
  /** The values for the current key, in insertion order; empty when there are none. */
  Iterable<T> get();

  void add(T value);

  void addAll(List<T> values);

  /** Replaces the list for the current key. */
  void update(List<T> values);
}
