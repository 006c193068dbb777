package io.statejob.runtime.state.heap;

import io.statejob.runtime.api.state.ValueState;

final class HeapValueState<T> extends AbstractHeapState implements ValueState<T> {
  HeapValueState(HeapKeyedStateBackend<?> backend, HeapStateTable table) {
    super(backend, table);
  }

  @Override
  @SuppressWarnings("unchecked")
  public T value() {
    return (T) current();
  }

  @Override
  public void update(T value) {
    if (value == null) {
      clear();
    } else {
      put(value);
    }
  }
}
