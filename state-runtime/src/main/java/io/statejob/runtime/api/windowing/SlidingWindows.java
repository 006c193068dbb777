package io.statejob.runtime.api.windowing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Windows of a fixed size starting every {@code slide}: a record belongs to size/slide windows. */
public final class SlidingWindows extends WindowAssigner {
  private final long size;
  private final long slide;

  private SlidingWindows(boolean eventTime, long size, long slide) {
    super(eventTime);
    if (slide > size) {
      throw new IllegalArgumentException(
          "the slide (" + slide + " ms) must not exceed the window size (" + size + " ms)");
    }
    this.size = size;
    this.slide = slide;
  }

  public static SlidingWindows ofEventTime(Duration size, Duration slide) {
    return new SlidingWindows(true, positiveMillis(size, "size"), positiveMillis(slide, "slide"));
  }

  public static SlidingWindows ofProcessingTime(Duration size, Duration slide) {
    return new SlidingWindows(false, positiveMillis(size, "size"), positiveMillis(slide, "slide"));
  }

  @Override
  public Collection<TimeWindow> assignWindows(long timestamp) {
    List<TimeWindow> windows = new ArrayList<>((int) (size / slide) + 1);
    for (long start = TimeWindow.windowStart(timestamp, 0, slide);
        start > timestamp - size;
        start -= slide) {
      windows.add(new TimeWindow(start, start + size));
    }
    return windows;
  }
}
