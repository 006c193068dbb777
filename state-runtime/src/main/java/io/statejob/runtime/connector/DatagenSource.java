package io.statejob.runtime.connector;

import io.statejob.runtime.api.JobParameters;
import io.statejob.runtime.api.Source;
import io.statejob.runtime.api.SourceSplit;
import io.statejob.runtime.api.eventtime.WatermarkStrategy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Deterministic keyed events: event {@code n} is a pure function of {@code n} and the seed, so a
 * replay from any offset yields the same events. Bounded by {@code count}, or unbounded when count
 * is negative; {@code ratePerSecond > 0} paces it (over all splits together).
 *
 * <p>Split {@code s} of {@code N} holds events {@code s, s+N, s+2N, ...}; offset {@code k} in it is
 * event {@code s + k*N}. The events, and so a bounded job's result, do not depend on how many
 * workers read the splits.
 */
public final class DatagenSource implements Source<DatagenEvent> {
  /** Event time of event 0; each event is 10 ms after the previous one (before disorder). */
  public static final long BASE_TIMESTAMP = 1_700_000_000_000L;

  private final long count;
  private final int keys;
  private final long seed;
  private final long ratePerSecond;
  private final long disorderMillis;
  private final int splits;

  public DatagenSource(long count, int keys, long seed, long ratePerSecond) {
    this(count, keys, seed, ratePerSecond, 0, DEFAULT_SPLITS);
  }

  /** The number of splits when a job does not say. */
  public static final int DEFAULT_SPLITS = 4;

  /**
   * @param disorderMillis event times lag their place in the sequence by up to this much, so events
   *     arrive out of order
   */
  public DatagenSource(
      long count, int keys, long seed, long ratePerSecond, long disorderMillis, int splits) {
    if (keys < 1) {
      throw new IllegalArgumentException("datagen needs at least one key");
    }
    if (disorderMillis < 0) {
      throw new IllegalArgumentException("datagen disorder must not be negative");
    }
    if (splits < 1) {
      throw new IllegalArgumentException(
          "datagen needs at least one split, got --splits " + splits);
    }
    this.count = count;
    this.keys = keys;
    this.seed = seed;
    this.ratePerSecond = ratePerSecond;
    this.disorderMillis = disorderMillis;
    this.splits = splits;
  }

  /** From job arguments {@code --events --keys --seed --rate --disorder-ms --splits}. */
  public static DatagenSource fromParameters(JobParameters parameters) {
    return new DatagenSource(
        parameters.getLong("events", 100_000),
        (int) parameters.getLong("keys", 1_000),
        parameters.getLong("seed", 42),
        parameters.getLong("rate", 0),
        parameters.getLong("disorder-ms", 0),
        (int) parameters.getLong("splits", DEFAULT_SPLITS));
  }

  /**
   * Watermarks for datagen's event time from job argument {@code --out-of-orderness-ms}, which
   * defaults to {@code --disorder-ms}: then no event is late.
   */
  public static WatermarkStrategy<DatagenEvent> watermarksFromParameters(JobParameters parameters) {
    return WatermarkStrategy.forBoundedOutOfOrderness(
        Duration.ofMillis(
            parameters.getLong("out-of-orderness-ms", parameters.getLong("disorder-ms", 0))));
  }

  /** Event {@code n}: the same for every reader and every run. */
  public DatagenEvent eventAt(long n) {
    long mixed = mix(n ^ seed);
    return new DatagenEvent(
        n,
        "key-" + Math.floorMod(mixed, keys),
        Math.floorMod(mix(mixed), 1000),
        BASE_TIMESTAMP
            + n * 10
            - (disorderMillis == 0 ? 0 : Math.floorMod(mix(mixed + 1), disorderMillis + 1)));
  }

  /** SplitMix64's finalizer: a cheap, well-distributed bijection of longs. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  @Override
  public String name() {
    return "datagen";
  }

  @Override
  public List<SourceSplit> splits() {
    return IntStream.range(0, splits).mapToObj(DatagenSource::split).toList();
  }

  /** The id of split {@code index}: zero-padded, so ids sort as their indexes do. */
  static SourceSplit split(int index) {
    return new SourceSplit(String.format("datagen-%05d", index));
  }

  @Override
  public Reader<DatagenEvent> createReader(SourceSplit split, long startOffset) {
    int index = splitIndex(split);
    // events of this split before count: those n < count with n = index mod splits
    long length = count < 0 ? Long.MAX_VALUE : Math.max(0, (count - index + splits - 1) / splits);
    long nanosPerEvent =
        ratePerSecond <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) * splits / ratePerSecond;
    return new Reader<>() {
      private final long startNanos = System.nanoTime();
      private long next = startOffset == INITIAL_OFFSET ? 0 : startOffset;
      private final long first = next;

      @Override
      public DatagenEvent next() {
        if (isFinished() || nanosUntilNext() > 0) {
          return null;
        }
        return eventAt(index + splits * next++);
      }

      @Override
      public long timestampOf(DatagenEvent event) {
        return event.timestamp();
      }

      @Override
      public long offset() {
        return next;
      }

      @Override
      public boolean isFinished() {
        return next >= length;
      }

      @Override
      public long nanosUntilNext() {
        if (nanosPerEvent == 0) {
          return 0;
        }
        long due = startNanos + (next - first) * nanosPerEvent;
        return Math.max(0, due - System.nanoTime());
      }
    };
  }

  private int splitIndex(SourceSplit split) {
    String id = split.id();
    if (id.startsWith("datagen-")) {
      try {
        int index = Integer.parseInt(id.substring("datagen-".length()));
        if (index >= 0 && index < splits) {
          return index;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(
        "split '"
            + id
            + "' is not one of datagen's "
            + splits
            + " splits; --splits cannot change for a job's checkpoints");
  }
}
