package io.statejob.runtime.window;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.KeyedProcessFunction;
import io.statejob.runtime.api.RuntimeContext;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.api.TimeDomain;
import io.statejob.runtime.api.eventtime.WatermarkStrategy;
import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.connector.Sinks;
import io.statejob.runtime.serialization.Serializers;

/**
 * Event-time timers: a key that gets no event for {@code --gap-ms} of event time emits {@code
 * key,timerTime,eventsSoFar}; each event moves its key's timer.
 */
public final class InactivityJob implements StateJobProgram {
  @Override
  public void build(StreamEnvironment env) {
    long gap = env.parameters().getLong("gap-ms", 1000);
    env.fromSource(
            DatagenSource.fromParameters(env.parameters()),
            WatermarkStrategy.<DatagenEvent>forMonotonousTimestamps())
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .process(new Inactivity(gap))
        .uid("inactivity")
        .sinkTo(Sinks.fromParameters(env.parameters()));
  }

  static final class Inactivity extends KeyedProcessFunction<String, DatagenEvent, String> {
    private final long gap;
    private ValueState<Long> count;
    private ValueState<Long> timer;

    Inactivity(long gap) {
      this.gap = gap;
    }

    @Override
    public void open(RuntimeContext context) {
      count = context.getState(new ValueStateDescriptor<>("count", Serializers.LONG));
      timer = context.getState(new ValueStateDescriptor<>("timer", Serializers.LONG));
    }

    @Override
    public void processElement(DatagenEvent event, Context<String> context, Collector<String> out) {
      count.update(count.value() == null ? 1 : count.value() + 1);
      if (timer.value() != null) {
        context.timerService().deleteEventTimeTimer(timer.value());
      }
      long time = context.timestamp() + gap;
      context.timerService().registerEventTimeTimer(time);
      timer.update(time);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext<String> context, Collector<String> out)
        throws Exception {
      if (context.timeDomain() != TimeDomain.EVENT_TIME) {
        throw new IllegalStateException("only event-time timers are registered");
      }
      out.collect(context.getCurrentKey() + "," + timestamp + "," + count.value());
      timer.clear();
    }
  }
}
