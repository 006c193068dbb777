package io.statejob.runtime.execution;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.KeyedProcessFunction;
import io.statejob.runtime.api.RuntimeContext;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.connector.DiscardSink;
import io.statejob.runtime.serialization.Serializers;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Two keyed stages: a count and sum per key, then per value bucket ({@code value % 10}), so every
 * record crosses the exchange twice. Fails once when a worker reads {@code --fail-at}.
 */
public final class TwoKeyByJob implements StateJobProgram {
  static final AtomicBoolean FAILED = new AtomicBoolean();

  @Override
  public void build(StreamEnvironment env) {
    long failAt = env.parameters().getLong("fail-at", -1);
    env.fromSource(DatagenSource.fromParameters(env.parameters()))
        .map(
            (DatagenEvent event) -> {
              if (event.sequence() == failAt && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at " + failAt);
              }
              return event;
            })
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .uid("by-key")
        .process(new CountAndSum<String>())
        .uid("per-key")
        .keyBy((DatagenEvent event) -> event.value() % 10, Serializers.LONG)
        .uid("by-bucket")
        .process(new CountAndSum<Long>())
        .uid("per-bucket")
        .sinkTo(new DiscardSink<>());
  }

  /** Counts and sums the events of each key and passes them on. */
  static final class CountAndSum<K> extends KeyedProcessFunction<K, DatagenEvent, DatagenEvent> {
    private ValueState<Long> count;
    private ValueState<Long> sum;

    @Override
    public void open(RuntimeContext context) {
      count = context.getState(new ValueStateDescriptor<>("count", Serializers.LONG));
      sum = context.getState(new ValueStateDescriptor<>("sum", Serializers.LONG));
    }

    @Override
    public void processElement(DatagenEvent event, Context<K> context, Collector<DatagenEvent> out)
        throws Exception {
      count.update(count.value() == null ? 1 : count.value() + 1);
      sum.update((sum.value() == null ? 0 : sum.value()) + event.value());
      out.collect(event);
    }
  }
}
