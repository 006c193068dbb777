package io.statejob.runtime.snapshot;

/**
 * Whether the job goes on after a savepoint, as Flink's stop-with-savepoint: {@link #STOP} ends
 * processing at the savepoint's barrier (sources read nothing after it, processing-time timers no
 * longer fire), so pods replaced after it repeat no output; {@link #DRAIN} first advances event
 * time to its end, firing every event-time timer and window, as Flink's {@code --drain}.
 */
public enum StopMode {
  NONE,
  STOP,
  DRAIN;

  public boolean stops() {
    return this != NONE;
  }

  /** The mode of a request that asks to {@code stop}, and to {@code drain} when it stops. */
  public static StopMode of(boolean stop, boolean drain) {
    return !stop ? NONE : drain ? DRAIN : STOP;
  }
}
