package io.statejob.runtime.execution;

/**
 * What a worker's tasks have done so far in the current attempt, as its metrics show it.
 *
 * @param recordsRead records its source stage read
 * @param recordsProcessed records that reached its first keyed stage
 * @param lateRecordsDropped late records its windows dropped
 * @param recordsSent records its stages sent to other workers
 * @param recordsReceived records its stages received from other workers
 * @param backpressureNanos how long its stages waited for a receiver's credit
 * @param watermark the event time its keyed stages have all reached, {@link Long#MIN_VALUE} before
 *     any; {@link Long#MAX_VALUE} from a stage that holds none back (a source)
 * @param pendingRecords records its source's splits hold past its positions (a Kafka consumer's
 *     lag), -1 when the source does not know
 */
public record WorkerCounters(
    long recordsRead,
    long recordsProcessed,
    long lateRecordsDropped,
    long recordsSent,
    long recordsReceived,
    long backpressureNanos,
    long watermark,
    long pendingRecords) {
  public static final WorkerCounters NONE =
      new WorkerCounters(0, 0, 0, 0, 0, 0, Long.MAX_VALUE, -1);

  /** The counters of two workers or stages, added up; event time is the lower one's. */
  public WorkerCounters plus(WorkerCounters other) {
    return new WorkerCounters(
        recordsRead + other.recordsRead,
        recordsProcessed + other.recordsProcessed,
        lateRecordsDropped + other.lateRecordsDropped,
        recordsSent + other.recordsSent,
        recordsReceived + other.recordsReceived,
        backpressureNanos + other.backpressureNanos,
        Math.min(watermark, other.watermark),
        pendingRecords < 0
            ? other.pendingRecords
            : pendingRecords + Math.max(0, other.pendingRecords));
  }

  /** {@link #pendingRecords} as a metric: NaN when the source does not know. */
  public double pendingRecordsOrNaN() {
    return pendingRecords < 0 ? Double.NaN : pendingRecords;
  }

  /**
   * How far event time is behind the clock, in seconds: NaN when no keyed stage has event time (a
   * job without it, or before the first watermark) or it ended.
   */
  public double watermarkLagSeconds(long nowMillis) {
    return watermark == Long.MIN_VALUE || watermark == Long.MAX_VALUE
        ? Double.NaN
        : Math.max(0, nowMillis - watermark) / 1000.0;
  }
}
