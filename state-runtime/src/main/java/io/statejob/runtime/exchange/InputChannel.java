package io.statejob.runtime.exchange;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The receiving end of one channel: batches in arrival order. It grants its sender one credit per
 * batch it has room for, and one more each time the task consumes a batch.
 */
public final class InputChannel {
  /** How a consumed batch's credit reaches the sender. */
  @FunctionalInterface
  public interface CreditReturn {
    void grant(int credits);
  }

  private final ChannelId id;
  private final int index;
  private final InputGate gate;
  private final ConcurrentLinkedQueue<List<Object>> batches = new ConcurrentLinkedQueue<>();
  private volatile CreditReturn credits;

  InputChannel(ChannelId id, int index, InputGate gate) {
    this.id = id;
    this.index = index;
    this.gate = gate;
  }

  public ChannelId id() {
    return id;
  }

  /** Connects the sender: it gets credits for as many batches as this channel holds. */
  public void connect(CreditReturn credits, int initialCredits) {
    this.credits = credits;
    credits.grant(initialCredits);
  }

  /** A batch arrived; called by the transport, in order. */
  public void deliver(List<Object> batch) {
    batches.add(batch);
    gate.batchArrived(index);
  }

  /** The channel broke: the gate fails its next read. */
  public void fail(String reason) {
    gate.fail(new IOException(id + ": " + reason));
  }

  /** The next batch, whose credit goes back to the sender; null when none has arrived. */
  List<Object> take() {
    List<Object> batch = batches.poll();
    if (batch != null) {
      credits.grant(1);
    }
    return batch;
  }
}
