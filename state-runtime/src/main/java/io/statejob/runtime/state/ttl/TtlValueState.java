package io.statejob.runtime.state.ttl;

import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.state.NamespacedState;

final class TtlValueState<T> extends AbstractTtlState implements ValueState<T> {
  private final ValueState<TtlValue<T>> values;

  @SuppressWarnings("unchecked")
  TtlValueState(NamespacedState stored, TtlPolicy policy) {
    super(stored, policy);
    this.values = (ValueState<TtlValue<T>>) stored;
  }

  @Override
  public T value() {
    TtlValue<T> entry = values.value();
    if (entry == null) {
      return null;
    }
    if (policy.expired(entry)) {
      values.clear();
      return policy.returnExpired() ? entry.value() : null;
    }
    if (policy.updateOnRead()) {
      values.update(policy.stamped(entry.value()));
    }
    return entry.value();
  }

  @Override
  public void update(T value) {
    if (value == null) {
      values.clear();
    } else {
      values.update(policy.stamped(value));
    }
  }
}
