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
 */
public record WorkerCounters(
    long recordsRead,
    long recordsProcessed,
    long lateRecordsDropped,
    long recordsSent,
    long recordsReceived,
    long backpressureNanos) {
  public static final WorkerCounters NONE = new WorkerCounters(0, 0, 0, 0, 0, 0);

  /** The counters of two workers, added up. */
  public WorkerCounters plus(WorkerCounters other) {
    return new WorkerCounters(
        recordsRead + other.recordsRead,
        recordsProcessed + other.recordsProcessed,
        lateRecordsDropped + other.lateRecordsDropped,
        recordsSent + other.recordsSent,
        recordsReceived + other.recordsReceived,
        backpressureNanos + other.backpressureNanos);
  }
}
