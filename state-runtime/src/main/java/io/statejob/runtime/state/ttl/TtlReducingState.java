package io.statejob.runtime.state.ttl;

import io.statejob.runtime.api.state.ReduceFunction;
import io.statejob.runtime.api.state.ReducingState;
import io.statejob.runtime.serialization.TtlValue;
import io.statejob.runtime.state.NamespacedState;

/**
 * A reduced value that expires: an expired value is not reduced with the next one, but replaced.
 */
final class TtlReducingState<T> extends AbstractTtlState implements ReducingState<T> {
  private final ReducingState<TtlValue<T>> reduced;

  @SuppressWarnings("unchecked")
  TtlReducingState(NamespacedState stored, TtlPolicy policy, Runnable cleanup) {
    super(stored, policy, cleanup);
    this.reduced = (ReducingState<TtlValue<T>>) stored;
  }

  /** The stored state's function: the user's, over unexpired values, stamping the result. */
  static <T> ReduceFunction<TtlValue<T>> function(ReduceFunction<T> function, TtlPolicy policy) {
    return (accumulated, value) ->
        policy.expired(accumulated)
            ? value
            : policy.stamped(function.reduce(accumulated.value(), value.value()));
  }

  @Override
  public T get() {
    accessed();
    return policy.read(
        reduced.get(),
        reduced::clear,
        restamped -> {
          // an add to an empty state stores the value as it is: the same value, stamped now
          reduced.clear();
          reduced.add(restamped);
        });
  }

  @Override
  public void add(T value) {
    accessed();
    reduced.add(policy.stamped(value));
  }
}
