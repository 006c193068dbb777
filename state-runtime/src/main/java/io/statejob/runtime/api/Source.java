package io.statejob.runtime.api;

/**
 * A replayable source. Every worker reads it from an offset and keeps the records of its own key
 * groups, so a checkpoint stores one offset per key group and a restore at another parallelism
 * resumes each key group exactly where it stopped.
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

  /** A reader positioned at {@code startOffset}, the offset of the first record it returns. */
  Reader<T> createReader(long startOffset) throws Exception;

  /** Reads records in order; offsets increase with every record. */
  interface Reader<T> extends AutoCloseable {
    /** The next record, or null when none is available now (rate limit) or the source ended. */
    T next() throws Exception;

    /** The offset of the record that {@link #next} returns next. */
    long offset();

    /** True once a bounded source has returned its last record. */
    boolean isFinished();

    /** How long to wait before a record is available, when {@link #next} returned null. */
    default long nanosUntilNext() {
      return 1_000_000L;
    }

    @Override
    default void close() throws java.io.IOException {}
  }
}
