package io.statejob.runtime.exchange;

import io.statejob.runtime.snapshot.SnapshotType;

/** What travels in a channel beside records, in band and in order with them. */
public sealed interface ExchangeEvent {
  /** Checkpoint {@code checkpointId}: everything before it belongs to the checkpoint. */
  record Barrier(long checkpointId, SnapshotType type) implements ExchangeEvent {}

  /** No record with a timestamp at or below {@code timestamp} follows on this channel. */
  record Watermark(long timestamp) implements ExchangeEvent {}

  /**
   * The sender has no split that holds event time back (none, or all idle): until its next {@link
   * Watermark}, the channel does not hold back the receiver's event time either.
   */
  record Idle() implements ExchangeEvent {}

  /** The sender has no more records for this channel: its input ended. */
  record EndOfData() implements ExchangeEvent {}
}
