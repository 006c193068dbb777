package io.statejob.runtime.exchange;

import io.statejob.runtime.snapshot.SnapshotType;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The input of a keyed stage: its gate, with checkpoint barriers aligned and watermarks combined. A
 * channel that delivered barrier n is held until barrier n has arrived on every channel that has
 * not ended; then the stage takes its snapshot ({@link Aligned}) and the channels go on. The
 * stage's watermark is the minimum over the channels that have not ended and are not idle.
 *
 * <p>Every sender announces itself with its first element (its watermark, when it starts), and a
 * channel that has announced itself is held until all have: no record is judged against a watermark
 * that a sender which has not started yet would have held back.
 */
public final class StageInput {
  /** What the stage gets next: a {@link KeyedRecord}, or what happened to its input. */
  public sealed interface Item permits KeyedRecord, Watermark, Aligned, EndOfInput {}

  /** Event time at the stage moved to {@code timestamp}. */
  public record Watermark(long timestamp) implements Item {}

  /**
   * Barrier {@code checkpointId} arrived on every channel: everything before it was delivered and
   * nothing after it.
   *
   * @param alignmentNanos from the first channel's barrier to the last one's
   */
  public record Aligned(long checkpointId, SnapshotType type, long alignmentNanos)
      implements Item {}

  /** Every channel ended. */
  public record EndOfInput() implements Item {}

  private final InputGate gate;
  private final boolean[] announced;
  private int announcedCount;
  private final boolean[] ended;
  private final boolean[] barrierSeen;
  private final long[] watermarks;
  private final boolean[] idle;
  private int endedCount;
  private long aligning = -1;
  private SnapshotType aligningType;
  private int barriersSeen;
  private long alignmentStart;
  private long lastAligned = -1;
  private long watermark = Long.MIN_VALUE;
  private boolean endReported;
  private long recordsFromOthers;

  public StageInput(InputGate gate) {
    this.gate = gate;
    int channels = gate.numberOfChannels();
    this.announced = new boolean[channels];
    this.ended = new boolean[channels];
    this.barrierSeen = new boolean[channels];
    this.watermarks = new long[channels];
    this.idle = new boolean[channels];
    Arrays.fill(watermarks, Long.MIN_VALUE);
  }

  /** The next item, or null when nothing arrived within {@code timeout}. */
  public Item next(long timeout, TimeUnit unit) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (true) {
      Item item = poll();
      if (item != null) {
        return item;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0 || !gate.awaitBatch(left)) {
        return null;
      }
    }
  }

  /** The next item that has arrived, or null; never waits. */
  public Item poll() throws IOException {
    while (true) {
      if (endOfInputDue()) {
        return new EndOfInput();
      }
      Object element = gate.poll();
      if (element == null) {
        return null;
      }
      Item item = handle(gate.lastChannel(), element);
      if (item != null) {
        return item;
      }
    }
  }

  private boolean endOfInputDue() {
    if (endedCount == ended.length && !endReported) {
      endReported = true;
      return true;
    }
    return false;
  }

  /** Whether a checkpoint barrier is being aligned: some channels are held. */
  public boolean isAligning() {
    return aligning >= 0;
  }

  private Item handle(int channel, Object element) {
    if (!announced[channel]) {
      announce(channel);
    }
    if (element instanceof ExchangeEvent.Barrier barrier) {
      return onBarrier(channel, barrier);
    }
    if (element instanceof ExchangeEvent.Watermark mark) {
      watermarks[channel] = Math.max(watermarks[channel], mark.timestamp());
      idle[channel] = false;
      return advancedWatermark();
    }
    if (element instanceof ExchangeEvent.Idle) {
      idle[channel] = true;
      return advancedWatermark();
    }
    if (element instanceof ExchangeEvent.EndOfData) {
      ended[channel] = true;
      endedCount++;
      if (isAligning() && !barrierSeen[channel]) {
        Item aligned = countBarrier(channel);
        if (aligned != null) {
          return aligned;
        }
      }
      return advancedWatermark();
    }
    if (channel != gate.receiver()) {
      recordsFromOthers++;
    }
    return (KeyedRecord) element;
  }

  /** Records that came from other workers (channel index is the sender's). */
  public long recordsFromOthers() {
    return recordsFromOthers;
  }

  private void announce(int channel) {
    announced[channel] = true;
    if (++announcedCount < announced.length) {
      gate.block(channel);
    } else {
      gate.unblockAll(); // no barrier can be aligning: each follows its channel's announcement
    }
  }

  private Item onBarrier(int channel, ExchangeEvent.Barrier barrier) {
    long id = barrier.checkpointId();
    if (id <= lastAligned || (isAligning() && id < aligning)) {
      return null; // a barrier of a checkpoint this stage already passed or gave up
    }
    if (isAligning() && id > aligning) {
      // the older checkpoint was abandoned (it timed out): its alignment ends without a snapshot
      release();
    }
    if (!isAligning()) {
      aligning = id;
      aligningType = barrier.type();
      alignmentStart = System.nanoTime();
      barriersSeen = endedCount;
      Arrays.fill(barrierSeen, false);
      for (int c = 0; c < ended.length; c++) {
        barrierSeen[c] = ended[c];
      }
    }
    gate.block(channel);
    return countBarrier(channel);
  }

  private Item countBarrier(int channel) {
    barrierSeen[channel] = true;
    barriersSeen++;
    if (barriersSeen < ended.length) {
      return null;
    }
    Aligned aligned = new Aligned(aligning, aligningType, System.nanoTime() - alignmentStart);
    lastAligned = aligning;
    release();
    return aligned;
  }

  private void release() {
    aligning = -1;
    aligningType = null;
    gate.unblockAll();
  }

  private Item advancedWatermark() {
    if (endedCount == ended.length) {
      return null; // no channel left to hold event time: the end of input says the rest
    }
    long min = Long.MAX_VALUE;
    boolean active = false;
    for (int c = 0; c < watermarks.length; c++) {
      if (!ended[c] && !idle[c]) {
        min = Math.min(min, watermarks[c]);
        active = true;
      }
    }
    // all live channels idle: event time waits for the first to come back
    if (!active || min <= watermark) {
      return null;
    }
    watermark = min;
    return new Watermark(min);
  }
}
