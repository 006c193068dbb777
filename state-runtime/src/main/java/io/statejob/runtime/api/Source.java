package io.statejob.runtime.api;

import java.util.List;

/**
 * A replayable source divided into splits. The runtime lists the splits, gives each worker its
 * share and reads each split from an offset, so a checkpoint stores one position per split and a
 * restore at any parallelism resumes every split exactly where it stopped.
 */
public interface Source<T> {
  String name();

  /**
   * The event timestamp the source gives {@code record} (epoch millis), or {@link Long#MIN_VALUE}
   * when it has none. A watermark strategy's timestamp assigner takes precedence.
   */
  default long timestampOf(T record) {
    return Long.MIN_VALUE;
  }

  /**
   * The splits the source has now. Called at every start and restore; a source that gains splits
   * later (partitions added to a topic) returns them on a later call.
   */
  List<SourceSplit> splits() throws Exception;

  /** A reader of {@code split} positioned at {@code startOffset}, the offset it returns first. */
  Reader<T> createReader(SourceSplit split, long startOffset) throws Exception;

  /** Reads the records of one split in order; offsets increase with every record. */
  interface Reader<T> extends AutoCloseable {
    /** The next record, or null when none is available now (rate limit) or the split ended. */
    T next() throws Exception;

    /** The offset of the record that {@link #next} returns next. */
    long offset();

    /** True once a bounded split has returned its last record. */
    boolean isFinished();

    /** How long to wait before a record is available, when {@link #next} returned null. */
    default long nanosUntilNext() {
      return 1_000_000L;
    }

    @Override
    default void close() throws java.io.IOException {}
  }
}
