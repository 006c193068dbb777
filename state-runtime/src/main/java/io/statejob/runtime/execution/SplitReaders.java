package io.statejob.runtime.execution;

import io.statejob.runtime.api.Source;
import io.statejob.runtime.api.SourceSplit;
import io.statejob.runtime.api.eventtime.WatermarkStrategy;
import io.statejob.runtime.execution.time.EventTimeClock;
import io.statejob.runtime.snapshot.SourcePosition;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The splits one worker reads, round robin, each with its reader and its own event-time clock. The
 * worker's watermark is the minimum over the splits that have not ended; a split with an idle
 * timeout moves on with the wall clock when quiet, so it does not hold the others back.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class SplitReaders implements AutoCloseable {
  private final String[] ids;
  private final Source.Reader[] readers;
  private final EventTimeClock[] clocks;
  private final boolean emitsWatermarks;
  private int next;
  private long recordsRead;

  /** The timestamp of the record {@link #next} returned last. */
  private long timestamp = Long.MIN_VALUE;

  SplitReaders(
      Source<?> source, WatermarkStrategy<?> watermarks, Map<SourceSplit, SourcePosition> splits)
      throws Exception {
    int n = splits.size();
    this.ids = new String[n];
    this.readers = new Source.Reader[n];
    this.clocks = new EventTimeClock[n];
    this.emitsWatermarks = watermarks.emitsWatermarks();
    int i = 0;
    try {
      for (Map.Entry<SourceSplit, SourcePosition> split : splits.entrySet()) {
        ids[i] = split.getKey().id();
        readers[i] = source.createReader(split.getKey(), split.getValue().offset());
        clocks[i] =
            new EventTimeClock(
                watermarks, source, split.getValue().maxTimestamp(), System::nanoTime);
        i++;
      }
    } catch (Exception e) {
      close();
      throw e;
    }
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
   * The minimum watermark over the splits that have not ended: {@link Long#MAX_VALUE} once all
   * have, {@link Long#MIN_VALUE} before any split has one or without watermarks.
   */
  long watermark() {
    if (allFinished()) {
      return Long.MAX_VALUE;
    }
    if (!emitsWatermarks) {
      return Long.MIN_VALUE;
    }
    long min = Long.MAX_VALUE;
    for (int i = 0; i < readers.length; i++) {
      if (!readers[i].isFinished()) {
        min = Math.min(min, clocks[i].watermark());
      }
    }
    return min;
  }

  /** Where each split stands: what a checkpoint stores. */
  Map<String, SourcePosition> positions() {
    Map<String, SourcePosition> positions = new LinkedHashMap<>();
    for (int i = 0; i < readers.length; i++) {
      positions.put(ids[i], new SourcePosition(readers[i].offset(), clocks[i].maxTimestamp()));
    }
    return positions;
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
