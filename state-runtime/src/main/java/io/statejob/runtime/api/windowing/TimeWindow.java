package io.statejob.runtime.api.windowing;

import io.statejob.runtime.serialization.TypeSerializer;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;

/**
 * A window of time {@code [start, end)} in epoch millis. Window contents are keyed state with the
 * window as namespace, so this is also how they are keyed in the state backend.
 */
public record TimeWindow(long start, long end) {
  public static final TypeSerializer<TimeWindow> SERIALIZER = new Serializer();

  /** The last timestamp that belongs to the window: its timers fire at this time. */
  public long maxTimestamp() {
    return end - 1;
  }

  public boolean intersects(TimeWindow other) {
    return start <= other.end && end >= other.start;
  }

  /** The smallest window that covers both. */
  public TimeWindow cover(TimeWindow other) {
    return new TimeWindow(Math.min(start, other.start), Math.max(end, other.end));
  }

  /** The start of the window of {@code size} (aligned to {@code offset}) that holds timestamp. */
  public static long windowStart(long timestamp, long offset, long size) {
    return timestamp - Math.floorMod(timestamp - offset, size);
  }

  @Override
  public String toString() {
    return "[" + start + "," + end + ")";
  }

  private static final class Serializer implements TypeSerializer<TimeWindow> {
    @Override
    public void serialize(TimeWindow window, DataOutput out) throws IOException {
      out.writeLong(window.start);
      out.writeLong(window.end);
    }

    @Override
    public TimeWindow deserialize(DataInput in) throws IOException {
      return new TimeWindow(in.readLong(), in.readLong());
    }

    @Override
    public TimeWindow copy(TimeWindow value) {
      return value;
    }

    @Override
    public String id() {
      return "time-window";
    }

    @Override
    public Object toJsonValue(TimeWindow window) {
      return Map.of("start", window.start, "end", window.end);
    }
  }
}
