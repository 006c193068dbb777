package io.statejob.runtime.execution.operators;

/**
 * What the chain knows about the record being pushed through it: its event timestamp ({@link
 * Long#MIN_VALUE} when it has none). Operators that emit from timers set the timestamp of what they
 * emit.
 */
public final class RecordContext {
  public long timestamp = Long.MIN_VALUE;

  /** The key group of a record that arrived at a keyed stage, as its sender computed it. */
  public int keyGroup;

  /** The timestamp, or null when the record has none. */
  public Long timestampOrNull() {
    return timestamp == Long.MIN_VALUE ? null : timestamp;
  }
}
