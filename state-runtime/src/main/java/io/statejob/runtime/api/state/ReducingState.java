package io.statejob.runtime.api.state;

/** A value per key that each {@link #add} combines with a {@link ReduceFunction}. */
public interface ReducingState<T> extends State {
  T get();

  void add(T value);
}
