package io.statejob.runtime.execution.time;

import io.statejob.runtime.api.eventtime.TimestampAssigner;
import io.statejob.runtime.api.eventtime.WatermarkStrategy;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Event time of one worker: the timestamp of each source record and the watermark, which follows
 * the largest timestamp read so far. That maximum is checkpointed with the source offset, so a
 * restored worker derives exactly the watermarks of a run without failures.
 */
public final class EventTimeClock<T> {
  private final WatermarkStrategy<T> strategy;
  private final TimestampAssigner<T> assigner;
  private final LongSupplier nanoClock;
  private final long idleTimeoutNanos;
  private long maxTimestamp;
  private long lastActivityNanos;
  private boolean idle;

  /**
   * @param sourceTimestamps the timestamps the source gives its records, used unless the strategy
   *     has an assigner
   */
  public EventTimeClock(
      WatermarkStrategy<T> strategy,
      TimestampAssigner<T> sourceTimestamps,
      long restoredMaxTimestamp,
      LongSupplier nanoClock) {
    this.strategy = strategy;
    this.assigner = strategy.timestampAssigner().orElse(sourceTimestamps);
    this.nanoClock = nanoClock;
    this.idleTimeoutNanos = strategy.idleTimeout().map(d -> d.toNanos()).orElse(Long.MAX_VALUE);
    this.maxTimestamp = restoredMaxTimestamp;
    this.lastActivityNanos = nanoClock.getAsLong();
  }

  /** The record's timestamp ({@link Long#MIN_VALUE} when it has none); moves the maximum. */
  public long onRecord(T record) {
    long timestamp = assigner.extractTimestamp(record);
    if (timestamp > maxTimestamp) {
      maxTimestamp = timestamp;
    }
    if (idleTimeoutNanos != Long.MAX_VALUE) {
      lastActivityNanos = nanoClock.getAsLong();
      idle = false;
    }
    return timestamp;
  }

  /**
   * The source has no record now. Past the idle timeout, event time moves on by the wall-clock time
   * elapsed, as if a record that much newer had arrived.
   */
  public void onNoRecord() {
    if (idleTimeoutNanos == Long.MAX_VALUE) {
      return;
    }
    long now = nanoClock.getAsLong();
    long elapsed = now - lastActivityNanos;
    if (idle || elapsed >= idleTimeoutNanos) {
      idle = true;
      if (maxTimestamp == Long.MIN_VALUE) {
        return; // nothing to move on from: an idle split that never had a record is left out
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(elapsed);
      if (millis > 0) {
        maxTimestamp = saturatedAdd(maxTimestamp, millis);
        lastActivityNanos += TimeUnit.MILLISECONDS.toNanos(millis);
      }
    }
  }

  /**
   * False for a split that has been idle since it started without a record (an empty Kafka
   * partition): it has no event time to contribute, so the minimum over splits leaves it out.
   */
  public boolean holdsBackTime() {
    return !(idle && maxTimestamp == Long.MIN_VALUE);
  }

  public long maxTimestamp() {
    return maxTimestamp;
  }

  /** Largest timestamp − out-of-orderness − 1; {@link Long#MIN_VALUE} before any timestamp. */
  public long watermark() {
    if (!strategy.emitsWatermarks() || maxTimestamp == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    return maxTimestamp - strategy.outOfOrdernessMillis() - 1;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
