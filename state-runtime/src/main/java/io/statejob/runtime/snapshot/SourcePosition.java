package io.statejob.runtime.snapshot;

/**
 * Where a source split stands in a checkpoint: the offset of the first record the checkpoint's
 * state does not hold, and the largest event timestamp read before that offset. The split's
 * watermark is a function of the records read, so restoring both replays exactly its watermarks.
 *
 * @param offset the source offset to resume from
 * @param maxTimestamp the largest event timestamp before {@code offset}; {@link Long#MIN_VALUE}
 *     when none
 */
public record SourcePosition(long offset, long maxTimestamp) {
  /** The first record of a split. */
  public static final SourcePosition START = new SourcePosition(0, Long.MIN_VALUE);

  /**
   * Where the source is configured to start a split the job has never read ({@code
   * Source.INITIAL_OFFSET}); never stored in a checkpoint, which holds the offset reached.
   */
  public static final SourcePosition INITIAL = new SourcePosition(-1, Long.MIN_VALUE);
}
