package com.example.jobs;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.KeyedProcessFunction;
import io.statejob.runtime.api.RuntimeContext;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.connector.Sinks;
import io.statejob.runtime.serialization.Serializers;

/**
 * Total spend per customer; emits a customer each time their total crosses another multiple of
 * {@code --threshold} (default 10000). The running total is keyed state, checkpointed and restored
 * by the runtime.
 */
public final class TopSpendersJob implements StateJobProgram {
  @Override
  public void build(StreamEnvironment env) {
    long threshold = env.parameters().getLong("threshold", 10_000);
    env.fromSource(DatagenSource.fromParameters(env.parameters()))
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .process(new TotalSpend(threshold))
        .uid("total-spend") // a stable uid keeps the state across upgrades of this jar
        .sinkTo(Sinks.fromParameters(env.parameters()));
  }

  static final class TotalSpend extends KeyedProcessFunction<String, DatagenEvent, String> {
    private final long threshold;
    private ValueState<Long> total;

    TotalSpend(long threshold) {
      this.threshold = threshold;
    }

    @Override
    public void open(RuntimeContext context) {
      total = context.getState(new ValueStateDescriptor<>("total", Serializers.LONG));
    }

    @Override
    public void processElement(DatagenEvent order, Context<String> context, Collector<String> out)
        throws Exception {
      long before = total.value() == null ? 0 : total.value();
      long after = before + order.value();
      total.update(after);
      if (after / threshold > before / threshold) {
        out.collect(order.key() + " spent " + after);
      }
    }
  }
}
