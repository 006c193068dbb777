package io.statejob.examples;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.JobParameters;
import io.statejob.runtime.api.ProcessWindowFunction;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.api.state.AggregateFunction;
import io.statejob.runtime.api.windowing.TumblingWindows;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.connector.Sinks;
import io.statejob.runtime.serialization.PojoSerializer;
import io.statejob.runtime.serialization.Serializers;
import java.time.Duration;

/**
 * Count and sum of values per key in tumbling event-time windows ({@code --window-ms}, default 10
 * s). Events may arrive out of order ({@code --disorder-ms}); the watermark allows for {@code
 * --out-of-orderness-ms} (default: the disorder), and windows accept late events for {@code
 * --lateness-ms} more. Emits {@code key,windowStart,windowEnd,count,sum} per window.
 */
public final class WindowedCountJob implements StateJobProgram {
  @Override
  public void build(StreamEnvironment env) {
    JobParameters p = env.parameters();
    env.fromSource(DatagenSource.fromParameters(p), DatagenSource.watermarksFromParameters(p))
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .window(TumblingWindows.ofEventTime(Duration.ofMillis(p.getLong("window-ms", 10_000))))
        .allowedLateness(Duration.ofMillis(p.getLong("lateness-ms", 0)))
        .aggregate(new CountAndSum(), new PojoSerializer<>(Totals.class), new WithWindow())
        .uid("windowed-counts")
        .sinkTo(Sinks.fromParameters(p));
  }

  /** Count and sum of a window's values. */
  public record Totals(long count, long sum) {}

  /** Adds each event to its window's totals; immutable, so snapshots never see a change. */
  public static final class CountAndSum implements AggregateFunction<DatagenEvent, Totals, Totals> {
    @Override
    public Totals createAccumulator() {
      return new Totals(0, 0);
    }

    @Override
    public Totals add(DatagenEvent event, Totals totals) {
      return new Totals(totals.count() + 1, totals.sum() + event.value());
    }

    @Override
    public Totals getResult(Totals totals) {
      return totals;
    }

    @Override
    public Totals merge(Totals a, Totals b) {
      return new Totals(a.count() + b.count(), a.sum() + b.sum());
    }
  }

  /** Formats a window's totals with its key and bounds. */
  public static final class WithWindow extends ProcessWindowFunction<Totals, String, String> {
    @Override
    public void process(String key, Context context, Iterable<Totals> totals, Collector<String> out)
        throws Exception {
      Totals t = totals.iterator().next();
      out.collect(
          key
              + ","
              + context.window().start()
              + ","
              + context.window().end()
              + ","
              + t.count()
              + ","
              + t.sum());
    }
  }
}
