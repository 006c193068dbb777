package io.statejob.runtime.api;

import io.statejob.runtime.api.windowing.Trigger;
import io.statejob.runtime.api.windowing.WindowAssigner;

/**
 * A window step as the program declared it.
 *
 * @param assigner which windows a record belongs to
 * @param trigger when a window emits
 * @param allowedLatenessMillis how long after its end an event-time window still takes records
 * @param lateSink where records too late for any window go; null drops and counts them
 * @param function how contents are kept and emitted
 */
public record WindowSpec(
    WindowAssigner assigner,
    Trigger<Object> trigger,
    long allowedLatenessMillis,
    Sink<?> lateSink,
    WindowFunctionSpec function) {

  public WindowSpec {
    if (assigner.isMerging() && !trigger.canMerge()) {
      throw new IllegalArgumentException(
          "trigger "
              + trigger.getClass().getSimpleName()
              + " cannot merge windows, which session windows need (override canMerge/onMerge)");
    }
    if (allowedLatenessMillis < 0) {
      throw new IllegalArgumentException("the allowed lateness must not be negative");
    }
  }
}
