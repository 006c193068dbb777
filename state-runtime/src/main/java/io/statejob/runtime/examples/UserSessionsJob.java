package io.statejob.examples;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.JobParameters;
import io.statejob.runtime.api.ProcessWindowFunction;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.api.windowing.SessionWindows;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.connector.Sinks;
import io.statejob.runtime.serialization.PojoSerializer;
import io.statejob.runtime.serialization.Serializers;
import java.time.Duration;

/**
 * User sessions: each datagen key is a user, and a session ends after {@code --gap-ms} (default 15
 * s) without an event. All events of an open session are kept in list state until it closes; then
 * it emits {@code user,start,end,events,total}.
 */
public final class UserSessionsJob implements StateJobProgram {
  @Override
  public void build(StreamEnvironment env) {
    JobParameters p = env.parameters();
    env.fromSource(DatagenSource.fromParameters(p), DatagenSource.watermarksFromParameters(p))
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .window(SessionWindows.withEventTimeGap(Duration.ofMillis(p.getLong("gap-ms", 15_000))))
        .process(new Summarize(), new PojoSerializer<>(DatagenEvent.class))
        .uid("sessions")
        .sinkTo(Sinks.fromParameters(p));
  }

  /** Summarizes a closed session. */
  static final class Summarize extends ProcessWindowFunction<DatagenEvent, String, String> {
    @Override
    public void process(
        String user, Context context, Iterable<DatagenEvent> events, Collector<String> out)
        throws Exception {
      long count = 0;
      long total = 0;
      for (DatagenEvent event : events) {
        count++;
        total += event.value();
      }
      out.collect(
          user
              + ","
              + context.window().start()
              + ","
              + context.window().end()
              + ","
              + count
              + ","
              + total);
    }
  }
}
