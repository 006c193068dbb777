package io.statejob.runtime.state.ttl;

import io.statejob.runtime.api.state.AggregateFunction;
import io.statejob.runtime.api.state.AggregatingState;
import io.statejob.runtime.serialization.TtlValue;
import io.statejob.runtime.state.NamespacedState;

/** An aggregate that expires: an expired accumulator starts over at the next add. */
final class TtlAggregatingState<IN, OUT> extends AbstractTtlState
    implements AggregatingState<IN, OUT> {
  private final AggregatingState<Object, OUT> aggregated;
  private final Function<IN, ?, OUT> function;

  @SuppressWarnings("unchecked")
  TtlAggregatingState(
      NamespacedState stored, TtlPolicy policy, Runnable cleanup, Function<IN, ?, OUT> function) {
    super(stored, policy, cleanup);
    this.aggregated = (AggregatingState<Object, OUT>) stored;
    this.function = function;
  }

  @Override
  public OUT get() {
    accessed();
    function.lastReadExpired = false;
    OUT result = aggregated.get();
    if (function.lastReadExpired) {
      aggregated.clear();
    } else if (result != null && policy.updateOnRead()) {
      aggregated.add(Function.RESTAMP);
    }
    return result;
  }

  @Override
  public void add(IN value) {
    accessed();
    aggregated.add(value);
  }

  /**
   * The stored state's function: the user's over the unexpired accumulator, stamping it at each
   * add. The backend hands it the accumulator, which {@link AggregatingState} does not expose, so
   * it also tells the state what it found: whether the accumulator read last had expired, and it
   * re-stamps the accumulator when given {@link #RESTAMP} as input.
   */
  static final class Function<IN, ACC, OUT>
      implements AggregateFunction<Object, TtlValue<ACC>, OUT> {
    static final Object RESTAMP = new Object();

    private final AggregateFunction<IN, ACC, OUT> function;
    private final TtlPolicy policy;
    private boolean lastReadExpired;

    Function(AggregateFunction<IN, ACC, OUT> function, TtlPolicy policy) {
      this.function = function;
      this.policy = policy;
    }

    @Override
    public TtlValue<ACC> createAccumulator() {
      return policy.stamped(function.createAccumulator());
    }

    @Override
    @SuppressWarnings("unchecked")
    public TtlValue<ACC> add(Object value, TtlValue<ACC> accumulator) {
      if (value == RESTAMP) {
        return policy.stamped(accumulator.value());
      }
      ACC current =
          policy.expired(accumulator) ? function.createAccumulator() : accumulator.value();
      return policy.stamped(function.add((IN) value, current));
    }

    @Override
    public OUT getResult(TtlValue<ACC> accumulator) {
      lastReadExpired = policy.expired(accumulator);
      return lastReadExpired && !policy.returnExpired()
          ? null
          : function.getResult(accumulator.value());
    }
  }
}
