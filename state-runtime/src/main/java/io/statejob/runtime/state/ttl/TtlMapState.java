package io.statejob.runtime.state.ttl;

import io.statejob.runtime.api.state.MapState;
import io.statejob.runtime.serialization.TtlValue;
import io.statejob.runtime.state.NamespacedState;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A map whose entries expire one by one. */
final class TtlMapState<K, V> extends AbstractTtlState implements MapState<K, V> {
  private final MapState<K, TtlValue<V>> entries;

  @SuppressWarnings("unchecked")
  TtlMapState(NamespacedState stored, TtlPolicy policy, Runnable cleanup) {
    super(stored, policy, cleanup);
    this.entries = (MapState<K, TtlValue<V>>) stored;
  }

  @Override
  public V get(K key) {
    accessed();
    return policy.read(
        entries.get(key), () -> entries.remove(key), restamped -> entries.put(key, restamped));
  }

  @Override
  public void put(K key, V value) {
    accessed();
    entries.put(key, policy.stamped(value));
  }

  @Override
  public void putAll(Map<K, V> values) {
    accessed();
    for (Map.Entry<K, V> value : values.entrySet()) {
      entries.put(value.getKey(), policy.stamped(value.getValue()));
    }
  }

  @Override
  public void remove(K key) {
    accessed();
    entries.remove(key);
  }

  @Override
  public boolean contains(K key) {
    return get(key) != null;
  }

  /** The unexpired entries; expired ones are removed (and the rest re-stamped on read). */
  @Override
  public Iterable<Map.Entry<K, V>> entries() {
    accessed();
    List<Map.Entry<K, V>> result = new ArrayList<>();
    List<K> expired = new ArrayList<>();
    for (Map.Entry<K, TtlValue<V>> entry : entries.entries()) {
      TtlValue<V> value = entry.getValue();
      if (policy.expired(value)) {
        expired.add(entry.getKey());
        if (!policy.returnExpired()) {
          continue;
        }
      } else if (policy.updateOnRead()) {
        entries.put(entry.getKey(), policy.stamped(value.value()));
      }
      result.add(new SimpleImmutableEntry<>(entry.getKey(), value.value()));
    }
    for (K key : expired) {
      entries.remove(key);
    }
    return result;
  }

  @Override
  public boolean isEmpty() {
    return !entries().iterator().hasNext();
  }
}
