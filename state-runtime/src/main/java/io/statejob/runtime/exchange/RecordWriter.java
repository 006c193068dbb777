package io.statejob.runtime.exchange;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one worker sends on one keyed edge: a batch per receiver, sent when it holds {@code
 * batchSize} elements, when it is older than the buffer timeout, or with an event. Called by the
 * task thread only; sending blocks while a receiver has no room, which is how backpressure reaches
 * the source.
 */
public final class RecordWriter {
  private final OutputChannel[] channels;
  private final int batchSize;
  private final long bufferTimeoutNanos;
  private final List<Object>[] pending;
  private final long[] pendingSince;

  /**
   * @param channels the channel to each receiver, by receiver index
   * @param bufferTimeoutNanos how long a record may wait in a batch that is not full
   */
  @SuppressWarnings("unchecked")
  public RecordWriter(List<OutputChannel> channels, int batchSize, long bufferTimeoutNanos) {
    this.channels = channels.toArray(OutputChannel[]::new);
    this.batchSize = batchSize;
    this.bufferTimeoutNanos = bufferTimeoutNanos;
    this.pending = new List[this.channels.length];
    this.pendingSince = new long[this.channels.length];
  }

  /** Adds {@code record} to the batch for {@code receiver}; sends the batch when it is full. */
  public void emit(Object record, int receiver) throws IOException, InterruptedException {
    List<Object> batch = pending[receiver];
    if (batch == null) {
      batch = pending[receiver] = new ArrayList<>(batchSize);
      pendingSince[receiver] = System.nanoTime();
    }
    batch.add(record);
    if (batch.size() >= batchSize) {
      send(receiver);
    }
  }

  /** Sends {@code event} to every receiver, behind the records already emitted. */
  public void broadcast(ExchangeEvent event) throws IOException, InterruptedException {
    for (int receiver = 0; receiver < channels.length; receiver++) {
      if (pending[receiver] == null) {
        pending[receiver] = new ArrayList<>(1);
      }
      pending[receiver].add(event);
      send(receiver);
    }
  }

  /** Sends the batches that have waited for the buffer timeout; call it when idle too. */
  public void flushDue(long nowNanos) throws IOException, InterruptedException {
    for (int receiver = 0; receiver < channels.length; receiver++) {
      if (pending[receiver] != null && nowNanos - pendingSince[receiver] >= bufferTimeoutNanos) {
        send(receiver);
      }
    }
  }

  /** When the oldest waiting batch is due, in {@link System#nanoTime} terms; MAX_VALUE if none. */
  public long nextFlushNanos() {
    long next = Long.MAX_VALUE;
    for (int receiver = 0; receiver < channels.length; receiver++) {
      if (pending[receiver] != null) {
        next = Math.min(next, pendingSince[receiver] + bufferTimeoutNanos);
      }
    }
    return next;
  }

  /** How long sends waited for receivers' credit so far: time under backpressure. */
  public long blockedNanos() {
    long sum = 0;
    for (OutputChannel channel : channels) {
      sum += channel.blockedNanos();
    }
    return sum;
  }

  private void send(int receiver) throws IOException, InterruptedException {
    List<Object> batch = pending[receiver];
    pending[receiver] = null;
    channels[receiver].send(batch);
  }
}
