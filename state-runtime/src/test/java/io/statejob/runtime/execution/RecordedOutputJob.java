package io.statejob.runtime.execution;

import io.statejob.examples.KeyedCountJob;
import io.statejob.examples.WindowedCountJob;
import io.statejob.runtime.api.DataStream;
import io.statejob.runtime.api.JobParameters;
import io.statejob.runtime.api.Sink;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.api.windowing.TumblingWindows;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.serialization.PojoSerializer;
import io.statejob.runtime.serialization.Serializers;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@link KeyedCountJob}'s pipeline, or with {@code --window-ms} {@link WindowedCountJob}'s, writing
 * into {@link #OUTPUT} as soon as a record arrives: a sink that is not transactional, so every
 * record processed twice shows.
 */
public final class RecordedOutputJob implements StateJobProgram {
  static final Queue<String> OUTPUT = new ConcurrentLinkedQueue<>();

  @Override
  public void build(StreamEnvironment env) {
    JobParameters p = env.parameters();
    DataStream<String> out;
    if (p.get("window-ms", null) == null) {
      out =
          env.fromSource(DatagenSource.fromParameters(p))
              .keyBy(DatagenEvent::key, Serializers.STRING)
              .process(KeyedCountJob.CountAndSum.ofEvents())
              .uid("count-and-sum");
    } else {
      out =
          env.fromSource(DatagenSource.fromParameters(p), DatagenSource.watermarksFromParameters(p))
              .keyBy(DatagenEvent::key, Serializers.STRING)
              .window(TumblingWindows.ofEventTime(Duration.ofMillis(p.getLong("window-ms", 0))))
              .aggregate(
                  new WindowedCountJob.CountAndSum(),
                  new PojoSerializer<>(WindowedCountJob.Totals.class),
                  new WindowedCountJob.WithWindow())
              .uid("windowed-counts");
    }
    out.sinkTo((Sink<String>) OUTPUT::add);
  }
}
