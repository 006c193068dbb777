package io.statejob.runtime.api.state;

/**
 * One value per key. Values are kept by reference on heap backends: do not mutate a value after
 * {@link #update}; update with a new one.
 */
public interface ValueState<T> extends State {
  /** The value for the current key, or null. */
  T value();

  void update(T value);
}
