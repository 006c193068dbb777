package io.statejob.runtime.execution.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.runtime.api.Source;
import io.statejob.runtime.api.SourceSplit;
import io.statejob.runtime.api.eventtime.WatermarkStrategy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventTimeClockTest {
  private final AtomicLong nanos = new AtomicLong();

  /** A source of timestamps: each record is its own event time. */
  private static final Source<Long> TIMESTAMPS =
      new Source<>() {
        @Override
        public String name() {
          return "timestamps";
        }

        @Override
        public long timestampOf(Long record) {
          return record;
        }

        @Override
        public List<SourceSplit> splits() {
          return List.of();
        }

        @Override
        public Reader<Long> createReader(SourceSplit split, long startOffset) {
          throw new UnsupportedOperationException();
        }
      };

  private EventTimeClock<Long> clock(WatermarkStrategy<Long> strategy, long restoredMax) {
    return new EventTimeClock<>(strategy, TIMESTAMPS, restoredMax, nanos::get);
  }

  private void advanceMillis(long millis) {
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Test
  void theWatermarkTrailsTheLargestTimestampByTheBoundAndNeverGoesBack() {
    EventTimeClock<Long> clock =
        clock(WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(100)), Long.MIN_VALUE);
    assertThat(clock.watermark()).isEqualTo(Long.MIN_VALUE);
    assertThat(clock.onRecord(1_000L)).isEqualTo(1_000L);
    assertThat(clock.watermark()).isEqualTo(899);
    clock.onRecord(950L); // out of order, within the bound
    assertThat(clock.watermark()).isEqualTo(899);
    assertThat(clock.maxTimestamp()).isEqualTo(1_000);
  }

  @Test
  void aRestoredClockContinuesFromTheCheckpointedMaximum() {
    EventTimeClock<Long> clock = clock(WatermarkStrategy.forMonotonousTimestamps(), 5_000);
    assertThat(clock.watermark()).isEqualTo(4_999);
    clock.onRecord(4_000L);
    assertThat(clock.watermark()).isEqualTo(4_999);
  }

  @Test
  void anIdleSourceMovesEventTimeOnWithTheWallClockAfterTheTimeout() {
    EventTimeClock<Long> clock =
        clock(
            WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ofMillis(100))
                .withIdleness(Duration.ofMillis(200)),
            Long.MIN_VALUE);
    clock.onRecord(1_000L);
    advanceMillis(150);
    clock.onNoRecord();
    assertThat(clock.watermark()).as("not idle yet").isEqualTo(899);
    advanceMillis(100);
    clock.onNoRecord();
    assertThat(clock.watermark()).as("idle for 250 ms").isEqualTo(1_149);
    advanceMillis(50);
    clock.onNoRecord();
    assertThat(clock.watermark()).as("still idle").isEqualTo(1_199);
    clock.onRecord(1_100L);
    advanceMillis(150);
    clock.onNoRecord();
    assertThat(clock.watermark()).as("a record ends idleness").isEqualTo(1_199);
  }

  @Test
  void withoutIdlenessAQuietSourceHoldsEventTime() {
    EventTimeClock<Long> clock =
        clock(WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(100)), Long.MIN_VALUE);
    clock.onRecord(1_000L);
    advanceMillis(60_000);
    clock.onNoRecord();
    assertThat(clock.watermark()).isEqualTo(899);
  }

  @Test
  void noWatermarksLeavesEventTimeAtItsStart() {
    EventTimeClock<Long> clock = clock(WatermarkStrategy.noWatermarks(), Long.MIN_VALUE);
    clock.onRecord(1_000L);
    assertThat(clock.watermark()).isEqualTo(Long.MIN_VALUE);
  }
}
