package io.statejob.runtime.execution.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.runtime.api.eventtime.WatermarkStrategy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EventTimeClockTest {
  private final AtomicLong nanos = new AtomicLong();

  private EventTimeClock<Long> clock(WatermarkStrategy<Long> strategy, long restoredMax) {
    return new EventTimeClock<>(strategy, record -> record, restoredMax, nanos::get);
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
  void aSplitIdleSinceItsStartStopsHoldingTimeBackUntilItsFirstRecord() {
    EventTimeClock<Long> clock =
        clock(
            WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ofMillis(100))
                .withIdleness(Duration.ofMillis(200)),
            Long.MIN_VALUE);
    clock.onNoRecord();
    assertThat(clock.holdsBackTime()).as("not idle yet").isTrue();
    advanceMillis(250);
    clock.onNoRecord();
    assertThat(clock.holdsBackTime()).as("empty and idle").isFalse();
    assertThat(clock.watermark()).isEqualTo(Long.MIN_VALUE);
    clock.onRecord(1_000L);
    assertThat(clock.holdsBackTime()).as("a record ends idleness").isTrue();
    assertThat(clock.watermark()).isEqualTo(899);
  }

  @Test
  void withoutIdlenessAnEmptySplitHoldsEventTime() {
    EventTimeClock<Long> clock =
        clock(WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(100)), Long.MIN_VALUE);
    advanceMillis(60_000);
    clock.onNoRecord();
    assertThat(clock.holdsBackTime()).isTrue();
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
