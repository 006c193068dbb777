package io.statejob.runtime.exchange;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/** The credits a sender holds for one channel: batches the receiver has room for. */
final class Credits {
  private final ChannelId id;
  private final Semaphore available = new Semaphore(0);
  private final LongAdder blockedNanos = new LongAdder();
  private volatile IOException failure;

  Credits(ChannelId id) {
    this.id = id;
  }

  /** Takes one credit, waiting for the receiver to grant it: that wait is backpressure. */
  void acquire() throws IOException, InterruptedException {
    if (!available.tryAcquire()) {
      long start = System.nanoTime();
      available.acquire();
      blockedNanos.add(System.nanoTime() - start);
    }
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

  ChannelId id() {
    return id;
  }

  /** How long senders waited for a credit so far. */
  long blockedNanos() {
    return blockedNanos.sum();
  }

  /** Credits held now; for tests and metrics. */
  int available() {
    return available.availablePermits();
  }
}
