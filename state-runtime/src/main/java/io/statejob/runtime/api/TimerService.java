package io.statejob.runtime.api;

/**
 * Clocks and timers of the current key. Timers are keyed state: one timer per key, timestamp and
 * domain (registering it twice fires it once), stored in the state backend and checkpointed, so
 * they survive failures and move with their key when the job is rescaled.
 */
public interface TimerService {
  long currentProcessingTime();

  /** The current watermark; {@link Long#MIN_VALUE} before the first one. */
  long currentWatermark();

  /** Fires {@code onTimer} once the watermark reaches {@code time}. */
  void registerEventTimeTimer(long time);

  /** Fires {@code onTimer} once the wall clock reaches {@code time} (epoch millis). */
  void registerProcessingTimeTimer(long time);

  void deleteEventTimeTimer(long time);

  void deleteProcessingTimeTimer(long time);
}
