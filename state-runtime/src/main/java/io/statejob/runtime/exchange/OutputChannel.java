package io.statejob.runtime.exchange;

import java.io.IOException;
import java.util.List;

/**
 * The sending end of one channel. A batch goes out only against a credit the receiver granted, so a
 * receiver holds at most as many batches as it has room for: a slow receiver slows its senders and
 * memory stays bounded.
 */
public interface OutputChannel {
  ChannelId id();

  /**
   * Sends {@code batch} (records and events, in order); blocks while the receiver has granted no
   * credit.
   *
   * @throws IOException when the channel failed (its connection was lost)
   */
  void send(List<Object> batch) throws IOException, InterruptedException;

  /** How long {@link #send} waited for the receiver's credit so far: time under backpressure. */
  long blockedNanos();
}
