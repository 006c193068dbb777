package io.statejob.runtime.api.eventtime;

import java.time.Duration;
import java.util.Optional;

/**
 * How a job derives event time from its source: the timestamp of each record and the watermark, the
 * point in event time up to which the job assumes it has seen every record. Records behind the
 * watermark are late.
 *
 * <p>Each source split has its own watermark; a worker sends on the minimum over its splits, and a
 * keyed stage takes the minimum over the workers feeding it. A split that stays quiet holds event
 * time back unless {@link #withIdleness} lets it move on with the wall clock.
 */
public final class WatermarkStrategy<T> {
  private final boolean watermarks;
  private final long outOfOrdernessMillis;
  private final TimestampAssigner<T> assigner;
  private final Duration idleTimeout;

  private WatermarkStrategy(
      boolean watermarks,
      long outOfOrdernessMillis,
      TimestampAssigner<T> assigner,
      Duration idleTimeout) {
    this.watermarks = watermarks;
    this.outOfOrdernessMillis = outOfOrdernessMillis;
    this.assigner = assigner;
    this.idleTimeout = idleTimeout;
  }

  /**
   * Watermark = largest timestamp seen − {@code maxOutOfOrderness} − 1 ms: records up to that much
   * older than the newest one are still on time.
   */
  public static <T> WatermarkStrategy<T> forBoundedOutOfOrderness(Duration maxOutOfOrderness) {
    if (maxOutOfOrderness.isNegative()) {
      throw new IllegalArgumentException("the out-of-orderness bound must not be negative");
    }
    return new WatermarkStrategy<>(true, maxOutOfOrderness.toMillis(), null, null);
  }

  /** Timestamps never decrease: the watermark follows the newest timestamp. */
  public static <T> WatermarkStrategy<T> forMonotonousTimestamps() {
    return forBoundedOutOfOrderness(Duration.ZERO);
  }

  /**
   * No watermarks: event-time timers and windows fire only at the end of a bounded source. The
   * default of {@code env.fromSource(source)}.
   */
  public static <T> WatermarkStrategy<T> noWatermarks() {
    return new WatermarkStrategy<>(false, 0, null, null);
  }

  /**
   * Takes timestamps from the records instead of the source's own ({@code
   * Source.Reader#timestampOf}).
   */
  public WatermarkStrategy<T> withTimestampAssigner(TimestampAssigner<T> timestampAssigner) {
    return new WatermarkStrategy<>(
        watermarks, outOfOrdernessMillis, timestampAssigner, idleTimeout);
  }

  /**
   * When the source yields no record for {@code timeout}, event time moves on with the wall clock,
   * so windows of a quiet stream still close. Records that arrive afterwards with older timestamps
   * are late.
   */
  public WatermarkStrategy<T> withIdleness(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the idle timeout must be positive");
    }
    return new WatermarkStrategy<>(watermarks, outOfOrdernessMillis, assigner, timeout);
  }

  public boolean emitsWatermarks() {
    return watermarks;
  }

  public long outOfOrdernessMillis() {
    return outOfOrdernessMillis;
  }

  public Optional<TimestampAssigner<T>> timestampAssigner() {
    return Optional.ofNullable(assigner);
  }

  public Optional<Duration> idleTimeout() {
    return Optional.ofNullable(idleTimeout);
  }
}
