package io.statejob.runtime.state.ttl;

import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.serialization.TtlValue;
import io.statejob.runtime.state.NamespacedState;

final class TtlValueState<T> extends AbstractTtlState implements ValueState<T> {
  private final ValueState<TtlValue<T>> values;

  @SuppressWarnings("unchecked")
  TtlValueState(NamespacedState stored, TtlPolicy policy, Runnable cleanup) {
    super(stored, policy, cleanup);
    this.values = (ValueState<TtlValue<T>>) stored;
  }

  @Override
  public T value() {
    accessed();
    return policy.read(values.value(), values::clear, values::update);
  }

  @Override
  public void update(T value) {
    accessed();
    if (value == null) {
      values.clear();
    } else {
      values.update(policy.stamped(value));
    }
  }
}
