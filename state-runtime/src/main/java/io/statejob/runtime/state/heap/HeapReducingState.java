package io.statejob.runtime.state.heap;

import io.statejob.runtime.api.state.ReduceFunction;
import io.statejob.runtime.api.state.ReducingState;

final class HeapReducingState<T> extends AbstractHeapState implements ReducingState<T> {
  private final ReduceFunction<T> function;

  HeapReducingState(
      HeapKeyedStateBackend<?> backend, HeapStateTable table, ReduceFunction<T> function) {
    super(backend, table);
    this.function = function;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T get() {
    return (T) current();
  }

  @Override
  public void add(T value) {
    T accumulated = get();
    try {
      put(accumulated == null ? value : function.reduce(accumulated, value));
    } catch (Exception e) {
      throw new IllegalStateException("reduce function failed", e);
    }
  }
}
