package io.statejob.runtime.api.windowing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** Fixed-size, non-overlapping windows aligned to the epoch (plus an optional offset). */
public final class TumblingWindows extends WindowAssigner {
  private final long size;
  private final long offset;

  private TumblingWindows(boolean eventTime, long size, long offset) {
    super(eventTime);
    this.size = size;
    this.offset = offset;
  }

  public static TumblingWindows ofEventTime(Duration size) {
    return new TumblingWindows(true, positiveMillis(size, "size"), 0);
  }

  public static TumblingWindows ofProcessingTime(Duration size) {
    return new TumblingWindows(false, positiveMillis(size, "size"), 0);
  }

  /** Shifts window boundaries, e.g. daily windows starting at 06:00 with an offset of 6 hours. */
  public TumblingWindows withOffset(Duration offset) {
    return new TumblingWindows(isEventTime(), size, Math.floorMod(offset.toMillis(), size));
  }

  @Override
  public Collection<TimeWindow> assignWindows(long timestamp) {
    long start = TimeWindow.windowStart(timestamp, offset, size);
    return List.of(new TimeWindow(start, start + size));
  }
}
