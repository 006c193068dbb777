package io.statejob.runtime.api.windowing;

import java.util.Collection;

/**
 * Puts each record into windows by its timestamp: event time (the record's timestamp) or processing
 * time (the worker's clock when the record arrives). See {@link TumblingWindows}, {@link
 * SlidingWindows} and {@link SessionWindows}.
 */
public abstract class WindowAssigner {
  private final boolean eventTime;

  WindowAssigner(boolean eventTime) {
    this.eventTime = eventTime;
  }

  /** The windows that hold a record of time {@code timestamp}. */
  public abstract Collection<TimeWindow> assignWindows(long timestamp);

  public final boolean isEventTime() {
    return eventTime;
  }

  /** Session windows merge when they overlap; fixed windows never do. */
  public boolean isMerging() {
    return false;
  }

  /** Fires each window once, when time passes its end. */
  public Trigger<Object> defaultTrigger() {
    return eventTime ? EventTimeTrigger.create() : ProcessingTimeTrigger.create();
  }

  static long positiveMillis(java.time.Duration duration, String what) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("the window " + what + " must be positive");
    }
    return duration.toMillis();
  }
}
