package io.statejob.runtime.connector;

import io.statejob.runtime.api.JobParameters;
import io.statejob.runtime.api.Source;
import io.statejob.runtime.api.eventtime.WatermarkStrategy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Deterministic keyed events: event {@code n} is a pure function of {@code n} and the seed, so a
 * replay from any offset yields the same events. Bounded by {@code count}, or unbounded when count
 * is negative; {@code ratePerSecond > 0} paces it.
 */
public final class DatagenSource implements Source<DatagenEvent> {
  /** Event time of event 0; each event is 10 ms after the previous one (before disorder). */
  public static final long BASE_TIMESTAMP = 1_700_000_000_000L;

  private final long count;
  private final int keys;
  private final long seed;
  private final long ratePerSecond;
  private final long disorderMillis;

  public DatagenSource(long count, int keys, long seed, long ratePerSecond) {
    this(count, keys, seed, ratePerSecond, 0);
  }

  /**
   * @param disorderMillis event times lag their place in the sequence by up to this much, so events
   *     arrive out of order
   */
  public DatagenSource(long count, int keys, long seed, long ratePerSecond, long disorderMillis) {
    if (keys < 1) {
      throw new IllegalArgumentException("datagen needs at least one key");
    }
    if (disorderMillis < 0) {
      throw new IllegalArgumentException("datagen disorder must not be negative");
    }
    this.count = count;
    this.keys = keys;
    this.seed = seed;
    this.ratePerSecond = ratePerSecond;
    this.disorderMillis = disorderMillis;
  }

  /** From job arguments {@code --events --keys --seed --rate --disorder-ms}. */
  public static DatagenSource fromParameters(JobParameters parameters) {
    return new DatagenSource(
        parameters.getLong("events", 100_000),
        (int) parameters.getLong("keys", 1_000),
        parameters.getLong("seed", 42),
        parameters.getLong("rate", 0),
        parameters.getLong("disorder-ms", 0));
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
  public long timestampOf(DatagenEvent event) {
    return event.timestamp();
  }

  @Override
  public Reader<DatagenEvent> createReader(long startOffset) {
    return new Reader<>() {
      private final long startNanos = System.nanoTime();
      private long next = startOffset;

      @Override
      public DatagenEvent next() {
        if (isFinished() || nanosUntilNext() > 0) {
          return null;
        }
        return eventAt(next++);
      }

      @Override
      public long offset() {
        return next;
      }

      @Override
      public boolean isFinished() {
        return count >= 0 && next >= count;
      }

      @Override
      public long nanosUntilNext() {
        if (ratePerSecond <= 0) {
          return 0;
        }
        long due = startNanos + (next - startOffset) * TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
        return Math.max(0, due - System.nanoTime());
      }
    };
  }
}
