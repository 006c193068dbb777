package io.statejob.runtime.state.ttl;

import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.serialization.TtlValue;
import io.statejob.runtime.state.NamespacedState;
import java.util.ArrayList;
import java.util.List;

/** A list whose elements expire one by one. */
final class TtlListState<T> extends AbstractTtlState implements ListState<T> {
  private final ListState<TtlValue<T>> elements;

  @SuppressWarnings("unchecked")
  TtlListState(NamespacedState stored, TtlPolicy policy, Runnable cleanup) {
    super(stored, policy, cleanup);
    this.elements = (ListState<TtlValue<T>>) stored;
  }

  /** The unexpired elements; the stored list loses its expired ones (and is re-stamped on read). */
  @Override
  public Iterable<T> get() {
    accessed();
    List<T> result = new ArrayList<>();
    List<TtlValue<T>> kept = new ArrayList<>();
    boolean anyExpired = false;
    for (TtlValue<T> element : elements.get()) {
      if (policy.expired(element)) {
        anyExpired = true;
        if (policy.returnExpired()) {
          result.add(element.value());
        }
      } else {
        result.add(element.value());
        kept.add(policy.updateOnRead() ? policy.stamped(element.value()) : element);
      }
    }
    if (anyExpired || (policy.updateOnRead() && !kept.isEmpty())) {
      elements.update(kept);
    }
    return result;
  }

  @Override
  public void add(T value) {
    accessed();
    elements.add(policy.stamped(value));
  }

  @Override
  public void addAll(List<T> values) {
    accessed();
    elements.addAll(stampedAll(values));
  }

  @Override
  public void update(List<T> values) {
    accessed();
    elements.update(values == null ? null : stampedAll(values));
  }

  private List<TtlValue<T>> stampedAll(List<T> values) {
    List<TtlValue<T>> stamped = new ArrayList<>(values.size());
    for (T value : values) {
      stamped.add(policy.stamped(value));
    }
    return stamped;
  }
}
