package io.statejob.runtime.snapshot;

/**
 * Where a key group stands in the source: the offset of the first record its state does not hold,
 * and the largest event timestamp read before that offset. The watermark is a function of the
 * records read, so restoring both replays exactly the watermarks of a run without failures.
 *
 * @param offset the source offset to resume from
 * @param maxTimestamp the largest event timestamp before {@code offset}; {@link Long#MIN_VALUE}
 *     when none
 */
public record SourcePosition(long offset, long maxTimestamp) {
  public static final SourcePosition START = new SourcePosition(0, Long.MIN_VALUE);
}
