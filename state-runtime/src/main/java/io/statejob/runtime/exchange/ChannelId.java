package io.statejob.runtime.exchange;

/**
 * One channel of the exchange: the records that worker {@code sender} sends to worker {@code
 * receiver} across keyed edge {@code edge} (the {@code edge}-th {@code keyBy} of the pipeline).
 */
public record ChannelId(int edge, int sender, int receiver) {
  @Override
  public String toString() {
    return "edge " + edge + " " + sender + "->" + receiver;
  }
}
