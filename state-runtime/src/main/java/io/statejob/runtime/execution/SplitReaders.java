package io.statejob.runtime.execution;

import io.statejob.runtime.api.Source;
import io.statejob.runtime.api.SourceSplit;
import io.statejob.runtime.api.eventtime.WatermarkStrategy;
import io.statejob.runtime.execution.time.EventTimeClock;
import io.statejob.runtime.snapshot.SourcePosition;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The splits one worker reads, round robin, each with its reader and its own event-time clock. The
 * worker's watermark is the minimum over the splits that have not ended; a split with an idle
 * timeout moves on with the wall clock when quiet, so it does not hold the others back.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class SplitReaders implements AutoCloseable {
  /** Offsets of checkpoints not yet known complete; failed ones are dropped beyond this many. */
  private static final int MAX_PENDING_CHECKPOINTS = 16;

  private final Source source;
  private final WatermarkStrategy watermarks;
  private String[] ids = new String[0];
  private Source.Reader[] readers = new Source.Reader[0];
  private EventTimeClock[] clocks = new EventTimeClock[0];
  private int next;
  private long recordsRead;

  /** The timestamp of the record {@link #next} returned last. */
  private long timestamp = Long.MIN_VALUE;

  /** The positions each checkpoint recorded, until it completes (for the source's lag report). */
  private final NavigableMap<Long, Map<String, SourcePosition>> pendingPositions = new TreeMap<>();

  SplitReaders(
      Source<?> source, WatermarkStrategy<?> watermarks, Map<SourceSplit, SourcePosition> splits)
      throws Exception {
    this.source = source;
    this.watermarks = watermarks;
    try {
      for (Map.Entry<SourceSplit, SourcePosition> split : splits.entrySet()) {
        add(split.getKey(), split.getValue());
      }
    } catch (Exception e) {
      close();
      throw e;
    }
  }

  /** Starts reading {@code split} from {@code position}, beside the splits read already. */
  void add(SourceSplit split, SourcePosition position) throws Exception {
    Source.Reader reader = source.createReader(split, position.offset());
    int n = readers.length;
    ids = Arrays.copyOf(ids, n + 1);
    readers = Arrays.copyOf(readers, n + 1);
    clocks = Arrays.copyOf(clocks, n + 1);
    ids[n] = split.id();
    readers[n] = reader;
    clocks[n] =
        new EventTimeClock(
            watermarks, reader::timestampOf, position.maxTimestamp(), System::nanoTime);
  }

  /** The next record of a split that has one now, or null when none has. */
  Object next() throws Exception {
    for (int tried = 0; tried < readers.length; tried++) {
      int i = next;
      next = next + 1 == readers.length ? 0 : next + 1;
      Source.Reader reader = readers[i];
      Object record = reader.isFinished() ? null : reader.next();
      if (record != null) {
        recordsRead++;
        timestamp = clocks[i].onRecord(record);
        return record;
      }
      if (!reader.isFinished()) {
        clocks[i].onNoRecord();
      }
    }
    return null;
  }

  /** The event timestamp of the last record returned. */
  long timestamp() {
    return timestamp;
  }

  boolean allFinished() {
    for (Source.Reader reader : readers) {
      if (!reader.isFinished()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The records the unfinished splits hold past their positions, summed over those whose readers
   * know it; -1 when none does.
   */
  long pendingRecords() {
    long pending = -1;
    for (Source.Reader reader : readers) {
      long own = reader.isFinished() ? 0 : reader.pendingRecords();
      if (own >= 0) {
        pending = Math.max(pending, 0) + own;
      }
    }
    return pending;
  }

  /** How long until a split may have a record, when {@link #next} returned null. */
  long nanosUntilNext() {
    long wait = Long.MAX_VALUE;
    for (Source.Reader reader : readers) {
      if (!reader.isFinished()) {
        wait = Math.min(wait, reader.nanosUntilNext());
      }
    }
    return wait;
  }

  /**
   * The minimum watermark over the splits that have not ended and hold time back: {@link
   * Long#MAX_VALUE} once all have ended, {@link Long#MIN_VALUE} before any split has one or without
   * watermarks.
   */
  long watermark() {
    if (allFinished()) {
      return Long.MAX_VALUE;
    }
    if (!watermarks.emitsWatermarks()) {
      return Long.MIN_VALUE;
    }
    long min = Long.MAX_VALUE;
    for (int i = 0; i < readers.length; i++) {
      if (holdsBackTime(i)) {
        min = Math.min(min, clocks[i].watermark());
      }
    }
    return min == Long.MAX_VALUE ? Long.MIN_VALUE : min;
  }

  /** Whether some split that has not ended holds event time back; false with no split at all. */
  boolean holdsBackTime() {
    for (int i = 0; i < readers.length; i++) {
      if (holdsBackTime(i)) {
        return true;
      }
    }
    return false;
  }

  /** Whether split {@code i} has not ended and its clock holds event time back. */
  private boolean holdsBackTime(int i) {
    return !readers[i].isFinished() && clocks[i].holdsBackTime();
  }

  /** Where each split stands: what checkpoint {@code checkpointId} stores. */
  Map<String, SourcePosition> positions(long checkpointId) {
    Map<String, SourcePosition> positions = new LinkedHashMap<>();
    for (int i = 0; i < readers.length; i++) {
      positions.put(ids[i], new SourcePosition(readers[i].offset(), clocks[i].maxTimestamp()));
    }
    pendingPositions.put(checkpointId, positions);
    while (pendingPositions.size() > MAX_PENDING_CHECKPOINTS) {
      pendingPositions.pollFirstEntry();
    }
    return positions;
  }

  /** Tells the source the offsets of a completed checkpoint; forgets those of earlier ones. */
  void notifyCheckpointComplete(long checkpointId) throws Exception {
    Map<String, SourcePosition> positions = pendingPositions.get(checkpointId);
    pendingPositions.headMap(checkpointId, true).clear();
    if (positions != null) {
      Map<String, Long> offsets = new LinkedHashMap<>();
      positions.forEach((id, position) -> offsets.put(id, position.offset()));
      source.notifyCheckpointComplete(checkpointId, offsets);
    }
  }

  long recordsRead() {
    return recordsRead;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Source.Reader reader : readers) {
      try {
        if (reader != null) {
          reader.close();
        }
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
