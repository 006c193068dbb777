package io.statejob.runtime.exchange;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The input of one worker on one keyed edge: a channel from every worker, its own included. The
 * task thread reads elements in the order their batches arrived, batch by batch, from channels that
 * are not blocked. A blocked channel (aligning a checkpoint barrier) keeps its batches without
 * returning their credits, so its sender stops once it has used them.
 */
public final class InputGate {

  private final int edge;
  private final int receiver;
  private final InputChannel[] channels;
  private final LinkedBlockingQueue<Integer> arrivals = new LinkedBlockingQueue<>();
  private volatile IOException failure;

  // task thread only
  /** A channel index per arrived batch not yet taken, in arrival order. */
  private final ArrayDeque<Integer> order = new ArrayDeque<>();

  private final boolean[] blocked;
  private final List<?>[] batch;
  private final int[] position;
  private int active = -1;
  private int lastChannel = -1;

  public InputGate(int edge, int receiver, int senders) {
    this(0, edge, receiver, senders);
  }

  public InputGate(int attempt, int edge, int receiver, int senders) {
    this.edge = edge;
    this.receiver = receiver;
    this.channels = new InputChannel[senders];
    for (int sender = 0; sender < senders; sender++) {
      channels[sender] =
          new InputChannel(new ChannelId(attempt, edge, sender, receiver), sender, this);
    }
    this.blocked = new boolean[senders];
    this.batch = new List<?>[senders];
    this.position = new int[senders];
  }

  public int edge() {
    return edge;
  }

  public int receiver() {
    return receiver;
  }

  public int numberOfChannels() {
    return channels.length;
  }

  public InputChannel channel(int sender) {
    return channels[sender];
  }

  /**
   * The next element of an unblocked channel, or null when none has arrived; {@link #lastChannel}
   * tells which channel it came from.
   */
  public Object poll() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (active >= 0) {
      return nextOfActive(); // the common case: no lock taken until the batch is used up
    }
    if (!arrivals.isEmpty()) {
      arrivals.drainTo(order);
    }
    while (true) {
      if (active >= 0) {
        return nextOfActive();
      }
      int channel = pickChannel();
      if (channel < 0) {
        return null;
      }
      if (batch[channel] == null) {
        batch[channel] = channels[channel].take();
        position[channel] = 0;
      }
      active = channel;
    }
  }

  /** Like {@link #poll}, waiting up to {@code timeout} for a batch; null when none came. */
  public Object next(long timeout, TimeUnit unit) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (true) {
      Object element = poll();
      if (element != null) {
        return element;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || !awaitBatch(left)) {
        return null;
      }
    }
  }

  /**
   * Waits up to {@code nanos} for a batch to arrive on any channel; it is read by the next {@link
   * #poll}, unless its channel is blocked.
   *
   * @return false when none arrived in time
   */
  public boolean awaitBatch(long nanos) throws InterruptedException {
    Integer arrived = arrivals.poll(nanos, TimeUnit.NANOSECONDS);
    if (arrived == null) {
      return false;
    }
    order.addLast(arrived);
    return true;
  }

  /** Holds back channel {@code channel}: its elements wait, and its sender gets no new credit. */
  public void block(int channel) {
    blocked[channel] = true;
    if (active == channel) {
      active = -1;
    }
  }

  /** Releases every blocked channel; their held elements come next. */
  public void unblockAll() {
    Arrays.fill(blocked, false);
  }

  public boolean isBlocked(int channel) {
    return blocked[channel];
  }

  void batchArrived(int channel) {
    arrivals.add(channel);
  }

  void fail(IOException cause) {
    if (failure == null) {
      failure = cause;
    }
    arrivals.add(0); // wakes a waiting reader, which then throws
  }

  /**
   * The channel to read next: one whose batch was held back mid-way and is free again, else the
   * first unblocked channel in arrival order.
   */
  private int pickChannel() {
    for (int channel = 0; channel < channels.length; channel++) {
      if (batch[channel] != null && !blocked[channel]) {
        return channel;
      }
    }
    for (Iterator<Integer> it = order.iterator(); it.hasNext(); ) {
      int channel = it.next();
      if (!blocked[channel]) {
        it.remove();
        return channel;
      }
    }
    return -1;
  }

  /** The channel (the sender's index) of the element {@link #poll} returned last. */
  public int lastChannel() {
    return lastChannel;
  }

  private Object nextOfActive() {
    int channel = active;
    List<?> elements = batch[channel];
    Object element = elements.get(position[channel]++);
    if (position[channel] == elements.size()) {
      batch[channel] = null;
      active = -1;
    }
    lastChannel = channel;
    return element;
  }
}
