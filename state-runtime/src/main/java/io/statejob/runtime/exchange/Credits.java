package io.statejob.runtime.exchange;

import java.io.IOException;
import java.util.concurrent.Semaphore;

/** The credits a sender holds for one channel: batches the receiver has room for. */
final class Credits {
  private final ChannelId id;
  private final Semaphore available = new Semaphore(0);
  private volatile IOException failure;

  Credits(ChannelId id) {
    this.id = id;
  }

  /** Takes one credit, waiting for the receiver to grant it. */
  void acquire() throws IOException, InterruptedException {
    available.acquire();
    if (failure != null) {
      available.release(); // wakes the next waiter, which fails too
      throw failure;
    }
  }

  void grant(int credits) {
    available.release(credits);
  }

  /** Fails every send of this channel, waiting ones included. */
  void fail(String reason) {
    failure = new IOException(id + ": " + reason);
    available.release();
  }

  /** Credits held now; for tests and metrics. */
  int available() {
    return available.availablePermits();
  }
}
