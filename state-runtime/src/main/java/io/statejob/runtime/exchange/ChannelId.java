package io.statejob.runtime.exchange;

/**
 * One channel of the exchange: the records that worker {@code sender} sends to worker {@code
 * receiver} across keyed edge {@code edge} (the {@code edge}-th {@code keyBy} of the pipeline) in
 * attempt {@code attempt} of the job. The attempt keeps a restarted job's channels apart from those
 * of the attempt before it, whose last batches may still be on the wire.
 */
public record ChannelId(int attempt, int edge, int sender, int receiver) {
  /** A channel of the first attempt. */
  public ChannelId(int edge, int sender, int receiver) {
    this(0, edge, sender, receiver);
  }

  @Override
  public String toString() {
    return "attempt " + attempt + " edge " + edge + " " + sender + "->" + receiver;
  }
}
