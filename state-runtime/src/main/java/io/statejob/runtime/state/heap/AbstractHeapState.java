package io.statejob.runtime.state.heap;

import io.statejob.runtime.serialization.VoidNamespace;
import io.statejob.runtime.state.NamespacedState;
import java.util.HashMap;
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

  /** The stored value of the current key, unwrapped; null when absent. */
  final Object current() {
    return CowBox.unwrap(map().read().get(mapKey()));
  }

  final void put(Object value) {
    map().write().put(mapKey(), value);
  }

  /**
   * The current key's mutable value, safe to change in place: created when absent, copied when a
   * snapshot may still read it.
   */
  final Object mutable(Supplier<Object> create, UnaryOperator<Object> copy) {
    KeyGroupMap map = map();
    HashMap<Object, Object> entries = map.write();
    Object key = mapKey();
    CowBox box = (CowBox) entries.get(key);
    if (box == null) {
      box = new CowBox(map.epoch(), create.get());
      entries.put(key, box);
    } else if (box.epoch != map.epoch()) {
      box = new CowBox(map.epoch(), copy.apply(box.value));
      entries.put(key, box);
    }
    return box.value;
  }

  /** Stores a mutable value as the current key's, stamped with the current epoch. */
  final void putMutable(Object value) {
    KeyGroupMap map = map();
    map.write().put(mapKey(), new CowBox(map.epoch(), value));
  }

  @Override
  public final void clear() {
    map().write().remove(mapKey());
  }
}
