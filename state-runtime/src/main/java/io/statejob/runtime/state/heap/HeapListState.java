package io.statejob.runtime.state.heap;

import io.statejob.runtime.api.state.ListState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

final class HeapListState<T> extends AbstractHeapState implements ListState<T> {
  HeapListState(HeapKeyedStateBackend<?> backend, HeapStateTable table) {
    super(backend, table);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Iterable<T> get() {
    List<T> list = (List<T>) current();
    return list == null ? List.of() : Collections.unmodifiableList(list);
  }

  @Override
  public void add(T value) {
    requireElement(value);
    list().add(value);
  }

  @Override
  public void addAll(List<T> values) {
    if (!values.isEmpty()) {
      values.forEach(HeapListState::requireElement);
      list().addAll(values);
    }
  }

  @Override
  public void update(List<T> values) {
    if (values == null || values.isEmpty()) {
      clear();
    } else {
      values.forEach(HeapListState::requireElement);
      putMutable(new ArrayList<>(values));
    }
  }

  @SuppressWarnings("unchecked")
  private List<Object> list() {
    return (List<Object>) mutable(ArrayList::new, v -> new ArrayList<>((List<Object>) v));
  }

  private static void requireElement(Object value) {
    if (value == null) {
      throw new NullPointerException("list state elements must not be null");
    }
  }
}
