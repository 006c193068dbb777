package io.statejob.runtime.window;

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
 * Processing-time timers: the first event of a key sets a timer 10 ms later, which emits the key.
 */
public final class ProcessingTimerJob implements StateJobProgram {
  @Override
  public void build(StreamEnvironment env) {
    env.fromSource(DatagenSource.fromParameters(env.parameters()))
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .process(new FirstSeen())
        .uid("first-seen")
        .sinkTo(Sinks.fromParameters(env.parameters()));
  }

  static final class FirstSeen extends KeyedProcessFunction<String, DatagenEvent, String> {
    private ValueState<Boolean> seen;

    @Override
    public void open(RuntimeContext context) {
      seen = context.getState(new ValueStateDescriptor<>("seen", Serializers.BOOLEAN));
    }

    @Override
    public void processElement(DatagenEvent event, Context<String> context, Collector<String> out) {
      if (seen.value() == null) {
        seen.update(true);
        long now = context.timerService().currentProcessingTime();
        context.timerService().registerProcessingTimeTimer(now + 10);
      }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext<String> context, Collector<String> out)
        throws Exception {
      out.collect(context.getCurrentKey() + "," + context.timeDomain());
    }
  }
}
