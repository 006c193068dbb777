package io.statejob.runtime.api.state;

import java.util.Map;

/** A map per key. */
public interface MapState<K, V> extends State {
  V get(K key);

  void put(K key, V value);

  void putAll(Map<K, V> entries);

  void remove(K key);

  boolean contains(K key);

  /** A snapshot of the current key's entries, safe to iterate while the state changes. */
  Iterable<Map.Entry<K, V>> entries();

  boolean isEmpty();
}
