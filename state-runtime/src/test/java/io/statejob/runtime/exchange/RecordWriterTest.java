package io.statejob.runtime.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.runtime.snapshot.SnapshotType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordWriterTest {
  private static final long TIMEOUT = 100_000_000L; // 100 ms

  /** A channel that keeps what it was sent. */
  private static final class Recording implements OutputChannel {
    final List<List<Object>> batches = new ArrayList<>();
    private final ChannelId id;

    Recording(int receiver) {
      this.id = new ChannelId(0, 0, receiver);
    }

    @Override
    public ChannelId id() {
      return id;
    }

    @Override
    public void send(List<Object> batch) {
      batches.add(List.copyOf(batch));
    }

    @Override
    public long blockedNanos() {
      return 0; // never waits: it records
    }
  }

  private final Recording toWorker0 = new Recording(0);
  private final Recording toWorker1 = new Recording(1);
  private final RecordWriter writer = new RecordWriter(List.of(toWorker0, toWorker1), 3, TIMEOUT);

  @Test
  void aFullBatchGoesOutAtOnceToItsReceiverOnly() throws Exception {
    writer.emit("a", 1);
    writer.emit("b", 1);
    assertThat(toWorker1.batches).isEmpty();

    writer.emit("c", 1);

    assertThat(toWorker1.batches).containsExactly(List.of("a", "b", "c"));
    assertThat(toWorker0.batches).isEmpty();
  }

  @Test
  void aBatchThatIsNotFullGoesOutAfterTheBufferTimeout() throws Exception {
    long before = System.nanoTime();
    writer.emit("a", 0);
    long due = writer.nextFlushNanos();
    assertThat(due).isBetween(before + TIMEOUT, System.nanoTime() + TIMEOUT);

    writer.flushDue(due - 1);
    assertThat(toWorker0.batches).isEmpty();

    writer.flushDue(due);
    assertThat(toWorker0.batches).containsExactly(List.of("a"));
    assertThat(writer.nextFlushNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void anEventGoesToEveryReceiverBehindTheRecordsBeforeIt() throws Exception {
    ExchangeEvent.Barrier barrier = new ExchangeEvent.Barrier(4, SnapshotType.CHECKPOINT);
    writer.emit("a", 0);

    writer.broadcast(barrier);

    assertThat(toWorker0.batches).containsExactly(List.of("a", barrier));
    assertThat(toWorker1.batches).containsExactly(List.of(barrier));
    assertThat(writer.nextFlushNanos()).isEqualTo(Long.MAX_VALUE);
  }
}
