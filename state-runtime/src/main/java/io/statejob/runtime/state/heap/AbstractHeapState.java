package io.statejob.runtime.state.heap;

import io.statejob.runtime.serialization.VoidNamespace;
import io.statejob.runtime.state.NamespacedState;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** Common access of heap states to the entry of the current key and namespace. */
abstract class AbstractHeapState implements NamespacedState {
  private final HeapKeyedStateBackend<?> backend;
  private final HeapStateTable table;
  private Object namespace = VoidNamespace.INSTANCE;

  AbstractHeapState(HeapKeyedStateBackend<?> backend, HeapStateTable table) {
    this.backend = backend;
    this.table = table;
  }

  @Override
  public final void setCurrentNamespace(Object namespace) {
    this.namespace = namespace;
  }

  /** State outside windows is keyed by the user key alone, which saves an allocation. */
  private Object mapKey() {
    Object key = backend.getCurrentKey();
    return namespace == VoidNamespace.INSTANCE ? key : new NamespacedKey(key, namespace);
  }

  private KeyGroupMap map() {
    return table.map(backend.getCurrentKeyGroup());
  }

  /** The stored value of the current key; null when absent. */
  final Object current() {
    return map().get(mapKey());
  }

  final void put(Object value) {
    map().put(mapKey(), value);
  }

  /**
   * The current key's mutable value, safe to change in place: created when absent, copied when a
   * snapshot may still read it.
   */
  final Object mutable(Supplier<Object> create, UnaryOperator<Object> copy) {
    return map().mutable(mapKey(), create, copy);
  }

  /** Stores a mutable value as the current key's. */
  final void putMutable(Object value) {
    map().putMutable(mapKey(), value);
  }

  @Override
  public final void clear() {
    map().remove(mapKey());
  }
}
