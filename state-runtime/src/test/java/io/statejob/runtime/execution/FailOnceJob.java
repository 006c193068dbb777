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
import java.util.concurrent.atomic.AtomicInteger;

/** The keyed count of the examples, failing once when it reaches {@code --fail-at}. */
public final class FailOnceJob implements StateJobProgram {
  static final AtomicInteger FAILURES = new AtomicInteger();

  @Override
  public void build(StreamEnvironment env) {
    long failAt = env.parameters().getLong("fail-at", -1);
    env.fromSource(DatagenSource.fromParameters(env.parameters()))
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .process(
            new KeyedProcessFunction<String, DatagenEvent, String>() {
              private ValueState<Long> count;
              private ValueState<Long> sum;

              @Override
              public void open(RuntimeContext context) {
                count = context.getState(new ValueStateDescriptor<>("count", Serializers.LONG));
                sum = context.getState(new ValueStateDescriptor<>("sum", Serializers.LONG));
              }

              @Override
              public void processElement(
                  DatagenEvent event, Context<String> context, Collector<String> out) {
                count.update(count.value() == null ? 1 : count.value() + 1);
                sum.update((sum.value() == null ? 0 : sum.value()) + event.value());
                if (event.sequence() == failAt && FAILURES.getAndIncrement() == 0) {
                  throw new IllegalStateException("injected failure at " + failAt);
                }
              }
            })
        .uid("count-and-sum")
        .sinkTo(new DiscardSink<>());
  }
}
