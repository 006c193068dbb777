package io.statejob.runtime.execution;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one worker did with records: how many its source read, how many it sent to other workers,
 * and how many each step received, by the step's uid in pipeline order.
 */
public record WorkerRecords(long read, long exchanged, Map<String, Long> receivedPerStep) {
  public static final WorkerRecords NONE = new WorkerRecords(0, 0, Map.of());

  public WorkerRecords {
    receivedPerStep = Collections.unmodifiableMap(new LinkedHashMap<>(receivedPerStep));
  }

  /** The records of two attempts of the same worker, added up. */
  public WorkerRecords plus(WorkerRecords other) {
    Map<String, Long> steps = new LinkedHashMap<>(receivedPerStep);
    other.receivedPerStep.forEach((step, count) -> steps.merge(step, count, Long::sum));
    return new WorkerRecords(read + other.read, exchanged + other.exchanged, steps);
  }
}
