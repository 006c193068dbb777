package io.statejob.runtime.exchange;

import java.io.IOException;
import java.util.List;

/**
 * The sending end of a channel in either exchange: a batch goes out only after taking one of the
 * receiver's credits; the transport moves it.
 */
abstract class CreditedOutputChannel implements OutputChannel {
  private final Credits credits;

  CreditedOutputChannel(Credits credits) {
    this.credits = credits;
  }

  /** Hands {@code batch} to the receiver, against a credit already taken. */
  abstract void transfer(List<Object> batch) throws IOException;

  @Override
  public final ChannelId id() {
    return credits.id();
  }

  @Override
  public final void send(List<Object> batch) throws IOException, InterruptedException {
    credits.acquire();
    transfer(batch);
  }

  @Override
  public final long blockedNanos() {
    return credits.blockedNanos();
  }
}
