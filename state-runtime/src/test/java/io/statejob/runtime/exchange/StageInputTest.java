package io.statejob.runtime.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.runtime.exchange.ExchangeEvent.Barrier;
import io.statejob.runtime.exchange.ExchangeEvent.EndOfData;
import io.statejob.runtime.exchange.ExchangeEvent.Watermark;
import io.statejob.runtime.exchange.StageInput.Aligned;
import io.statejob.runtime.exchange.StageInput.EndOfInput;
import io.statejob.runtime.exchange.StageInput.Item;
import io.statejob.runtime.snapshot.SnapshotType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Barrier alignment and watermark combination, driven batch by batch. */
class StageInputTest {
  private static final Barrier B1 = new Barrier(1, SnapshotType.CHECKPOINT);
  private static final Barrier B2 = new Barrier(2, SnapshotType.CHECKPOINT);

  private final InputGate gate = new InputGate(0, 0, 2);
  private final AtomicIntegerArray creditsGranted = new AtomicIntegerArray(2);
  private final StageInput input = new StageInput(gate);

  StageInputTest() {
    for (int sender = 0; sender < 2; sender++) {
      int channel = sender;
      gate.channel(sender).connect(n -> creditsGranted.addAndGet(channel, n), 4);
    }
  }

  /** Both senders start, as a task does, with their watermark. */
  private void announceBoth() throws Exception {
    deliver(0, new Watermark(Long.MIN_VALUE));
    deliver(1, new Watermark(Long.MIN_VALUE));
    assertThat(drain()).isEmpty();
  }

  @Test
  void recordsWaitUntilEverySenderHasAnnouncedItself() throws Exception {
    deliver(0, new Watermark(20), "a", "b");
    assertThat(drain()).as("sender 1 has not started").isEmpty();
    deliver(1, new Watermark(5));
    assertThat(drain())
        .as("the first record is judged against both senders' watermarks")
        .containsExactly(new StageInput.Watermark(5), rec("a"), rec("b"));
  }

  @Test
  void anIdleSenderDoesNotHoldEventTimeBackUntilItsNextWatermark() throws Exception {
    announceBoth();
    deliver(0, new Watermark(100));
    assertThat(drain()).as("sender 1 is at its start").isEmpty();
    deliver(1, new ExchangeEvent.Idle());
    assertThat(drain()).containsExactly(new StageInput.Watermark(100));
    deliver(0, new ExchangeEvent.Idle());
    deliver(1, new Watermark(50));
    assertThat(drain()).as("event time never goes back").isEmpty();
    deliver(1, new Watermark(300));
    assertThat(drain())
        .as("only sender 1 is active")
        .containsExactly(new StageInput.Watermark(300));
  }

  /** Delivers a batch; a string stands for a record with that value. */
  private void deliver(int channel, Object... elements) {
    gate.channel(channel)
        .deliver(Stream.of(elements).map(e -> e instanceof String s ? rec(s) : e).toList());
  }

  private static KeyedRecord rec(String value) {
    return new KeyedRecord(Long.MIN_VALUE, 0, value);
  }

  private List<Item> drain() throws Exception {
    List<Item> items = new ArrayList<>();
    for (Item item = input.next(0, TimeUnit.MILLISECONDS);
        item != null;
        item = input.next(0, TimeUnit.MILLISECONDS)) {
      items.add(item);
    }
    return items;
  }

  private static Aligned aligned(List<Item> items) {
    return items.stream()
        .filter(Aligned.class::isInstance)
        .map(Aligned.class::cast)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aChannelThatDeliveredTheBarrierWaitsUntilEveryChannelHas() throws Exception {
    announceBoth();
    deliver(0, "a1", B1, "a2");
    deliver(1, "b1");
    deliver(1, B1, "b2");

    List<Item> items = drain();

    assertThat(items).containsExactly(rec("a1"), rec("b1"), aligned(items), rec("a2"), rec("b2"));
    assertThat(aligned(items).checkpointId()).isEqualTo(1);
    assertThat(aligned(items).type()).isEqualTo(SnapshotType.CHECKPOINT);
  }

  @Test
  void aBlockedChannelReturnsNoCreditSoItsSenderStops() throws Exception {
    announceBoth();
    deliver(0, B1);
    assertThat(drain()).isEmpty();
    int before = creditsGranted.get(0);
    deliver(0, "a1");
    deliver(0, "a2");

    assertThat(drain()).isEmpty();
    assertThat(creditsGranted.get(0)).as("credits while blocked").isEqualTo(before);

    deliver(1, B1);
    List<Item> items = drain();
    assertThat(items).containsExactly(aligned(items), rec("a1"), rec("a2"));
    assertThat(creditsGranted.get(0)).isEqualTo(before + 2);
  }

  @Test
  void theWatermarkIsTheMinimumOverChannelsThatHaveNotEnded() throws Exception {
    announceBoth();
    deliver(0, new Watermark(10));
    assertThat(drain()).as("channel 1 holds event time back").isEmpty();
    deliver(1, new Watermark(5));
    assertThat(drain()).containsExactly(new StageInput.Watermark(5));
    deliver(1, new Watermark(7));
    assertThat(drain()).containsExactly(new StageInput.Watermark(7));
    deliver(1, new EndOfData());
    assertThat(drain()).containsExactly(new StageInput.Watermark(10));
    deliver(0, new Watermark(8));
    assertThat(drain()).as("event time never goes back").isEmpty();
    deliver(0, new Watermark(Long.MAX_VALUE));
    assertThat(drain())
        .as("the end of event time passes, firing every timer")
        .containsExactly(new StageInput.Watermark(Long.MAX_VALUE));
  }

  @Test
  void anEndedChannelDoesNotHoldAlignmentBackAndAllEndedIsTheEndOfInput() throws Exception {
    announceBoth();
    deliver(1, new EndOfData());
    deliver(0, "a1", B1, "a2", new EndOfData());

    List<Item> items = drain();

    assertThat(items).containsExactly(rec("a1"), aligned(items), rec("a2"), new EndOfInput());
  }

  @Test
  void aChannelEndingDuringAlignmentCompletesIt() throws Exception {
    announceBoth();
    deliver(0, B1, "a1");
    deliver(1, "b1", new EndOfData());

    List<Item> items = drain();

    assertThat(items).containsExactly(rec("b1"), aligned(items), rec("a1"));
  }

  @Test
  void aNewerBarrierAbandonsAnOlderAlignment() throws Exception {
    announceBoth();
    deliver(0, B1, "a1", B2);
    deliver(1, B2, "b1");

    List<Item> items = drain();

    assertThat(items).containsExactly(rec("a1"), aligned(items), rec("b1"));
    assertThat(aligned(items).checkpointId()).isEqualTo(2);
  }

  @Test
  void aFailedChannelFailsTheNextRead() throws Exception {
    deliver(0, "a1");
    gate.channel(1).fail("the connection from worker 1 was lost");

    org.assertj.core.api.Assertions.assertThatThrownBy(this::drain)
        .hasMessageContaining("edge 0 1->0")
        .hasMessageContaining("connection from worker 1 was lost");
  }
}
