package io.statejob.runtime.state.heap;

import io.statejob.runtime.api.state.MapState;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

final class HeapMapState<K, V> extends AbstractHeapState implements MapState<K, V> {
  HeapMapState(HeapKeyedStateBackend<?> backend, HeapStateTable table) {
    super(backend, table);
  }

  @SuppressWarnings("unchecked")
  private Map<K, V> readMap() {
    return (Map<K, V>) current();
  }

  @SuppressWarnings("unchecked")
  private Map<K, V> writeMap() {
    return (Map<K, V>) mutable(HashMap::new, v -> new HashMap<>((Map<Object, Object>) v));
  }

  @Override
  public V get(K key) {
    Map<K, V> map = readMap();
    return map == null ? null : map.get(key);
  }

  @Override
  public void put(K key, V value) {
    writeMap().put(key, value);
  }

  @Override
  public void putAll(Map<K, V> entries) {
    if (!entries.isEmpty()) {
      writeMap().putAll(entries);
    }
  }

  @Override
  public void remove(K key) {
    Map<K, V> map = readMap();
    if (map == null || !map.containsKey(key)) {
      return;
    }
    Map<K, V> writable = writeMap();
    writable.remove(key);
    if (writable.isEmpty()) {
      clear();
    }
  }

  @Override
  public boolean contains(K key) {
    Map<K, V> map = readMap();
    return map != null && map.containsKey(key);
  }

  @Override
  public Iterable<Map.Entry<K, V>> entries() {
    Map<K, V> map = readMap();
    if (map == null) {
      return List.of();
    }
    // a copy, so the caller may change the state while iterating; one array, no second map
    List<Map.Entry<K, V>> entries = new ArrayList<>(map.size());
    map.forEach((key, value) -> entries.add(new AbstractMap.SimpleImmutableEntry<>(key, value)));
    return entries;
  }

  @Override
  public boolean isEmpty() {
    Map<K, V> map = readMap();
    return map == null || map.isEmpty();
  }
}
