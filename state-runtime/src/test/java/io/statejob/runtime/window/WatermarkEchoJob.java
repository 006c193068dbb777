package io.statejob.runtime.window;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.KeyedProcessFunction;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.connector.Sinks;
import io.statejob.runtime.serialization.Serializers;

/** Emits {@code sequence,watermark} for each event: the watermark the event arrived at. */
public final class WatermarkEchoJob implements StateJobProgram {
  @Override
  public void build(StreamEnvironment env) {
    env.fromSource(
            DatagenSource.fromParameters(env.parameters()),
            DatagenSource.watermarksFromParameters(env.parameters()))
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .process(new Echo())
        .uid("echo")
        .sinkTo(Sinks.fromParameters(env.parameters()));
  }

  static final class Echo extends KeyedProcessFunction<String, DatagenEvent, String> {
    @Override
    public void processElement(DatagenEvent event, Context<String> context, Collector<String> out)
        throws Exception {
      out.collect(event.sequence() + "," + context.timerService().currentWatermark());
    }
  }
}
