package io.statejob.runtime.api.windowing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Windows of activity separated by a gap of at least {@code gap}: each record opens a window {@code
 * [t, t + gap)}, and windows of one key that overlap merge, with their contents.
 */
public final class SessionWindows extends WindowAssigner {
  private final long gap;

  private SessionWindows(boolean eventTime, long gap) {
    super(eventTime);
    this.gap = gap;
  }

  public static SessionWindows withEventTimeGap(Duration gap) {
    return new SessionWindows(true, positiveMillis(gap, "gap"));
  }

  public static SessionWindows withProcessingTimeGap(Duration gap) {
    return new SessionWindows(false, positiveMillis(gap, "gap"));
  }

  @Override
  public Collection<TimeWindow> assignWindows(long timestamp) {
    return List.of(new TimeWindow(timestamp, timestamp + gap));
  }

  @Override
  public boolean isMerging() {
    return true;
  }
}
