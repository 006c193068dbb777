package io.statejob.runtime.api;

import java.util.List;

/**
 * A replayable source divided into splits. The runtime lists the splits, gives each worker its
 * share and reads each split from an offset, so a checkpoint stores one position per split and a
 * restore at any parallelism resumes every split exactly where it stopped.
 */
public interface Source<T> {
  /**
   * The start offset of a split the job has never read and no checkpoint holds: the reader starts
   * where the source is configured to (the first record, or for Kafka earliest, latest, the group's
   * offsets or a timestamp).
   */
  long INITIAL_OFFSET = -1;

  String name();

  /**
   * The splits the source has now. Called at every start and restore, and every {@link
   * #discoveryInterval} while the job runs: a split listed later (a partition added to a topic) is
   * read from its first record without a restart.
   */
  List<SourceSplit> splits() throws Exception;

  /**
   * A reader of {@code split} positioned at {@code startOffset}, the offset it returns first, or at
   * the configured start when it is {@link #INITIAL_OFFSET}.
   */
  Reader<T> createReader(SourceSplit split, long startOffset) throws Exception;

  /** How often the runtime lists the splits again while the job runs; zero: never. */
  default java.time.Duration discoveryInterval() {
    return java.time.Duration.ZERO;
  }

  /**
   * Checkpoint {@code checkpointId} has completed; {@code offsets} are the positions this worker's
   * splits had in it, by split id. Only for reporting (a Kafka source commits them to its group so
   * that lag shows): a restore always starts from the checkpoint itself.
   */
  default void notifyCheckpointComplete(long checkpointId, java.util.Map<String, Long> offsets)
      throws Exception {}

  /**
   * The worker's source task has ended and closed its readers: release what the source opened (a
   * connection it lists splits through).
   */
  default void close() throws Exception {}

  /** Reads the records of one split in order; offsets increase with every record. */
  interface Reader<T> extends AutoCloseable {
    /** The next record, or null when none is available now (rate limit) or the split ended. */
    T next() throws Exception;

    /**
     * The event timestamp of {@code record}, the record {@link #next} returned last (epoch millis),
     * or {@link Long#MIN_VALUE} when it has none. A watermark strategy's timestamp assigner takes
     * precedence.
     */
    default long timestampOf(T record) {
      return Long.MIN_VALUE;
    }

    /** The offset of the record that {@link #next} returns next. */
    long offset();

    /** True once a bounded split has returned its last record. */
    boolean isFinished();

    /**
     * The records of the split after {@link #offset}, as far as the reader knows without a remote
     * call (a Kafka partition's lag behind its last fetched end), or -1 when it does not know.
     * Called from the reading thread, between records.
     */
    default long pendingRecords() {
      return -1;
    }

    /** How long to wait before a record is available, when {@link #next} returned null. */
    default long nanosUntilNext() {
      return 1_000_000L;
    }

    @Override
    default void close() throws java.io.IOException {}
  }
}
