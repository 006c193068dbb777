package io.statejob.runtime.window;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.DataStream;
import io.statejob.runtime.api.JobParameters;
import io.statejob.runtime.api.ProcessWindowFunction;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.api.WindowedStream;
import io.statejob.runtime.api.eventtime.WatermarkStrategy;
import io.statejob.runtime.api.state.AggregateFunction;
import io.statejob.runtime.api.windowing.CountTrigger;
import io.statejob.runtime.api.windowing.SessionWindows;
import io.statejob.runtime.api.windowing.SlidingWindows;
import io.statejob.runtime.api.windowing.TumblingWindows;
import io.statejob.runtime.api.windowing.WindowAssigner;
import io.statejob.runtime.connector.FileSink;
import io.statejob.runtime.connector.FileSource;
import io.statejob.runtime.serialization.PojoSerializer;
import io.statejob.runtime.serialization.Serializers;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Windows over scripted readings ({@code key,timestamp,value} lines), configured by arguments:
 * {@code --window tumbling:<size>|sliding:<size>:<slide>|session:<gap>}, {@code --bound}, {@code
 * --lateness}, {@code --count-trigger}, {@code --late-output}, and {@code --function
 * aggregate|reduce|process}. Every variant emits {@code key,start,end,sum,count}.
 */
public final class WindowSemanticsJob implements StateJobProgram {
  /** A reading; count is 1 until readings are reduced together. */
  public record Reading(String key, long value, long count) {
    static Reading parse(String line) {
      String[] fields = line.split(",");
      return new Reading(fields[0], Long.parseLong(fields[2]), 1);
    }
  }

  /** Sum and count of a window's readings. */
  public record SumCount(long sum, long count) {}

  @Override
  public void build(StreamEnvironment env) {
    JobParameters p = env.parameters();
    WatermarkStrategy<String> watermarks =
        WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(p.getLong("bound", 0)));
    WindowedStream<String, Reading> windowed =
        env.fromSource(new FileSource(Path.of(p.get("input", "")), 1), watermarks)
            .map(Reading::parse)
            .keyBy(Reading::key, Serializers.STRING)
            .window(assigner(p.get("window", "tumbling:10")))
            .allowedLateness(Duration.ofMillis(p.getLong("lateness", 0)));
    if (p.getLong("count-trigger", 0) > 0) {
      windowed.trigger(CountTrigger.of(p.getLong("count-trigger", 0)));
    }
    if (p.get("late-output", null) != null) {
      windowed.sideOutputLateData(new FileSink<>(Path.of(p.get("late-output", null))));
    }
    DataStream<String> results =
        switch (p.get("function", "aggregate")) {
          case "aggregate" ->
              windowed.aggregate(
                  new SumAndCount(), new PojoSerializer<>(SumCount.class), new Format());
          case "reduce" ->
              windowed.reduce(
                  (a, b) -> new Reading(a.key(), a.value() + b.value(), a.count() + b.count()),
                  new PojoSerializer<>(Reading.class),
                  new ProcessWindowFunction<Reading, String, String>() {
                    @Override
                    public void process(
                        String key,
                        Context context,
                        Iterable<Reading> elements,
                        Collector<String> out)
                        throws Exception {
                      Reading reduced = elements.iterator().next();
                      out.collect(format(key, context, reduced.value(), reduced.count()));
                    }
                  });
          case "process" ->
              windowed.process(new SumEachWindow(), new PojoSerializer<>(Reading.class));
          default -> throw new IllegalArgumentException("unknown --function");
        };
    results.uid("results").sinkTo(new FileSink<>(Path.of(p.get("output", "output"))));
  }

  private static WindowAssigner assigner(String spec) {
    String[] parts = spec.split(":");
    return switch (parts[0]) {
      case "tumbling" -> TumblingWindows.ofEventTime(Duration.ofMillis(Long.parseLong(parts[1])));
      case "sliding" ->
          SlidingWindows.ofEventTime(
              Duration.ofMillis(Long.parseLong(parts[1])),
              Duration.ofMillis(Long.parseLong(parts[2])));
      case "session" ->
          SessionWindows.withEventTimeGap(Duration.ofMillis(Long.parseLong(parts[1])));
      default -> throw new IllegalArgumentException("unknown --window " + spec);
    };
  }

  static final class SumAndCount implements AggregateFunction<Reading, SumCount, SumCount> {
    @Override
    public SumCount createAccumulator() {
      return new SumCount(0, 0);
    }

    @Override
    public SumCount add(Reading value, SumCount accumulator) {
      return new SumCount(accumulator.sum() + value.value(), accumulator.count() + 1);
    }

    @Override
    public SumCount getResult(SumCount accumulator) {
      return accumulator;
    }

    @Override
    public SumCount merge(SumCount a, SumCount b) {
      return new SumCount(a.sum() + b.sum(), a.count() + b.count());
    }
  }

  /** Formats a pre-aggregated window result with its key and bounds. */
  static final class Format extends ProcessWindowFunction<SumCount, String, String> {
    @Override
    public void process(
        String key, Context context, Iterable<SumCount> elements, Collector<String> out)
        throws Exception {
      SumCount result = elements.iterator().next();
      out.collect(format(key, context, result.sum(), result.count()));
    }
  }

  /** Sums all readings of a window, kept in list state until it fires. */
  static final class SumEachWindow extends ProcessWindowFunction<Reading, String, String> {
    @Override
    public void process(
        String key, Context context, Iterable<Reading> elements, Collector<String> out)
        throws Exception {
      long sum = 0;
      long count = 0;
      for (Reading reading : elements) {
        sum += reading.value();
        count++;
      }
      out.collect(format(key, context, sum, count));
    }
  }

  static String format(String key, ProcessWindowFunction.Context context, long sum, long count) {
    return key
        + ","
        + context.window().start()
        + ","
        + context.window().end()
        + ","
        + sum
        + ","
        + count;
  }
}
