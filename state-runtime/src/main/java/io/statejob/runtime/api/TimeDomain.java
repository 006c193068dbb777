package io.statejob.runtime.api;

/** The clock a timer follows. */
public enum TimeDomain {
  /** The watermark: event time as far as the source has shown it. */
  EVENT_TIME,
  /** The worker's wall clock. */
  PROCESSING_TIME
}
