package io.statejob.runtime.state.ttl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.api.state.AggregateFunction;
import io.statejob.runtime.api.state.AggregatingState;
import io.statejob.runtime.api.state.AggregatingStateDescriptor;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.api.state.MapState;
import io.statejob.runtime.api.state.MapStateDescriptor;
import io.statejob.runtime.api.state.ReducingState;
import io.statejob.runtime.api.state.ReducingStateDescriptor;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.api.state.StateTtlConfig;
import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.api.windowing.TimeWindow;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.testing.BackendHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** States with a time to live, on every backend: what a read sees as the clock moves. */
class StateTtlTest {
  private static final Duration TTL = Duration.ofMillis(100);

  @TempDir Path dir;
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final List<BackendHarness> opened = new ArrayList<>();

  private BackendHarness harness(String backend, int parallelism) throws Exception {
    RuntimeConfig config =
        switch (backend) {
          case "memory" -> RuntimeConfig.of(Map.of("state.backend", "memory"));
          case "filesystem" ->
              RuntimeConfig.of(
                  Map.of(
                      "state.backend",
                      "filesystem",
                      "state.checkpoints.dir",
                      dir.resolve("checkpoints").toUri().toString()));
          case "rocksdb" -> BackendHarness.rocksDBConfig(dir, false);
          case "rocksdb-incremental" -> BackendHarness.rocksDBConfig(dir, true);
          default -> throw new IllegalArgumentException(backend);
        };
    BackendHarness harness =
        BackendHarness.open(config.with(RuntimeOptions.JOB_ID, "test-job"), parallelism, now::get);
    opened.add(harness);
    return harness;
  }

  @AfterEach
  void close() throws Exception {
    for (BackendHarness harness : opened) {
      harness.close();
    }
  }

  private static <D extends StateDescriptor> D expiring(
      D descriptor, UnaryOperator<StateTtlConfig.Builder> settings) {
    descriptor.enableTimeToLive(settings.apply(StateTtlConfig.newBuilder(TTL)).build());
    return descriptor;
  }

  private static ValueStateDescriptor<Long> value(UnaryOperator<StateTtlConfig.Builder> settings) {
    return expiring(new ValueStateDescriptor<>("v", Serializers.LONG), settings);
  }

  private void advance(long millis) {
    now.addAndGet(millis);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "filesystem", "rocksdb", "rocksdb-incremental"})
  void anExpiredValueIsNeverReturnedByDefault(String backend) throws Exception {
    BackendHarness h = harness(backend, 1);
    ValueStateDescriptor<Long> descriptor = value(b -> b);
    h.<ValueState<Long>>state("k", "f.v", descriptor).update(7L);
    advance(99);
    assertThat(h.<ValueState<Long>>state("k", "f.v", descriptor).value()).isEqualTo(7L);
    advance(1);
    assertThat(h.<ValueState<Long>>state("k", "f.v", descriptor).value()).isNull();
    h.<ValueState<Long>>state("k", "f.v", descriptor).update(8L);
    assertThat(h.<ValueState<Long>>state("k", "f.v", descriptor).value()).isEqualTo(8L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "filesystem", "rocksdb", "rocksdb-incremental"})
  void returnExpiredIfNotCleanedUpReturnsItOnceAndRemovesIt(String backend) throws Exception {
    BackendHarness h = harness(backend, 1);
    // no incremental cleanup: it could remove the entry before the read, as in Flink
    ValueStateDescriptor<Long> descriptor =
        value(b -> b.returnExpiredIfNotCleanedUp().disableCleanupInBackground());
    h.<ValueState<Long>>state("k", "f.v", descriptor).update(7L);
    advance(150);
    assertThat(h.<ValueState<Long>>state("k", "f.v", descriptor).value()).isEqualTo(7L);
    assertThat(h.<ValueState<Long>>state("k", "f.v", descriptor).value()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void readsRestartTheTimeToLiveOnlyWhenAskedTo(String backend) throws Exception {
    BackendHarness h = harness(backend, 1);
    ValueStateDescriptor<Long> onWrite = value(b -> b);
    ValueStateDescriptor<Long> onRead = value(b -> b.updateTtlOnReadAndWrite());
    h.<ValueState<Long>>state("k", "f.onWrite", onWrite).update(1L);
    h.<ValueState<Long>>state("k", "f.onRead", onRead).update(2L);
    advance(80);
    assertThat(h.<ValueState<Long>>state("k", "f.onWrite", onWrite).value()).isEqualTo(1L);
    assertThat(h.<ValueState<Long>>state("k", "f.onRead", onRead).value()).isEqualTo(2L);
    advance(80);
    assertThat(h.<ValueState<Long>>state("k", "f.onWrite", onWrite).value()).isNull();
    assertThat(h.<ValueState<Long>>state("k", "f.onRead", onRead).value()).isEqualTo(2L);
    advance(100);
    assertThat(h.<ValueState<Long>>state("k", "f.onRead", onRead).value()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "filesystem", "rocksdb", "rocksdb-incremental"})
  void listElementsAndMapEntriesExpireOneByOne(String backend) throws Exception {
    BackendHarness h = harness(backend, 1);
    ListStateDescriptor<String> events =
        expiring(new ListStateDescriptor<>("events", Serializers.STRING), b -> b);
    MapStateDescriptor<String, Long> counts =
        expiring(new MapStateDescriptor<>("counts", Serializers.STRING, Serializers.LONG), b -> b);
    h.<ListState<String>>state("k", "f.events", events).add("first");
    h.<MapState<String, Long>>state("k", "f.counts", counts).put("a", 1L);
    advance(60);
    h.<ListState<String>>state("k", "f.events", events).add("second");
    h.<MapState<String, Long>>state("k", "f.counts", counts).put("b", 2L);
    advance(60);

    assertThat(h.<ListState<String>>state("k", "f.events", events).get()).containsExactly("second");
    MapState<String, Long> map = h.state("k", "f.counts", counts);
    assertThat(map.get("a")).isNull();
    assertThat(map.contains("a")).isFalse();
    assertThat(map.contains("b")).isTrue();
    assertThat(map.entries()).extracting(Map.Entry::getKey).containsExactly("b");
    assertThat(map.isEmpty()).isFalse();

    advance(60);
    assertThat(h.<ListState<String>>state("k", "f.events", events).get()).isEmpty();
    assertThat(h.<MapState<String, Long>>state("k", "f.counts", counts).isEmpty()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "filesystem", "rocksdb", "rocksdb-incremental"})
  void anExpiredReductionOrAggregateStartsOver(String backend) throws Exception {
    BackendHarness h = harness(backend, 1);
    ReducingStateDescriptor<Long> sum =
        expiring(new ReducingStateDescriptor<>("sum", Long::sum, Serializers.LONG), b -> b);
    AggregatingStateDescriptor<Long, Long, String> count =
        expiring(new AggregatingStateDescriptor<>("count", new Count(), Serializers.LONG), b -> b);
    h.<ReducingState<Long>>state("k", "f.sum", sum).add(1L);
    h.<AggregatingState<Long, String>>state("k", "f.count", count).add(1L);
    advance(50);
    h.<ReducingState<Long>>state("k", "f.sum", sum).add(2L);
    h.<AggregatingState<Long, String>>state("k", "f.count", count).add(2L);
    advance(70); // 120 after the first add, 70 after the last
    assertThat(h.<ReducingState<Long>>state("k", "f.sum", sum).get()).isEqualTo(3L);
    assertThat(h.<AggregatingState<Long, String>>state("k", "f.count", count).get())
        .isEqualTo("2 values");

    advance(100);
    h.<ReducingState<Long>>state("k", "f.sum", sum).add(5L);
    h.<AggregatingState<Long, String>>state("k", "f.count", count).add(5L);
    assertThat(h.<ReducingState<Long>>state("k", "f.sum", sum).get()).isEqualTo(5L);
    assertThat(h.<AggregatingState<Long, String>>state("k", "f.count", count).get())
        .isEqualTo("1 values");
    advance(100);
    assertThat(h.<ReducingState<Long>>state("k", "f.sum", sum).get()).isNull();
    assertThat(h.<AggregatingState<Long, String>>state("k", "f.count", count).get()).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "filesystem", "rocksdb", "rocksdb-incremental"})
  void timestampsSurviveACheckpointAndARescale(String backend) throws Exception {
    BackendHarness h = harness(backend, 1);
    ValueStateDescriptor<Long> descriptor = value(b -> b);
    for (int i = 0; i < 20; i++) {
      h.<ValueState<Long>>state("old-" + i, "f.v", descriptor).update((long) i);
    }
    advance(60);
    for (int i = 0; i < 20; i++) {
      h.<ValueState<Long>>state("new-" + i, "f.v", descriptor).update((long) i);
    }
    List<SubtaskState> acks = h.snapshot(1);
    BackendHarness restored = h.restore(acks, 2);
    opened.add(restored);

    advance(50); // the old entries are 110 ms old, the new ones 50
    for (int i = 0; i < 20; i++) {
      assertThat(restored.<ValueState<Long>>state("old-" + i, "f.v", descriptor).value()).isNull();
      assertThat(restored.<ValueState<Long>>state("new-" + i, "f.v", descriptor).value())
          .isEqualTo((long) i);
    }
  }

  /**
   * Deduplication of sessions: each key is seen ten times within 10 ms and never again, one record
   * a millisecond, a time to live of 100 ms. Keys are never read after they expire, so only the
   * incremental cleanup removes them: with it the state at each checkpoint stays as large as the
   * last 100 ms need, without it it grows with every session.
   */
  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void theIncrementalCleanupKeepsSessionDeduplicationBounded(String backend) throws Exception {
    List<Long> cleaned = dedupStateSizes(harness(backend, 1), b -> b);
    List<Long> uncleaned =
        dedupStateSizes(harness(backend, 1), b -> b.disableCleanupInBackground());

    long bound = cleaned.get(0) * 2;
    assertThat(cleaned).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(bound));
    assertThat(uncleaned.get(uncleaned.size() - 1)).isGreaterThan(bound * 5);
  }

  /** The keyed state's bytes at each of ten checkpoints, one every 5,000 records. */
  private List<Long> dedupStateSizes(
      BackendHarness h, UnaryOperator<StateTtlConfig.Builder> settings) throws Exception {
    ValueStateDescriptor<Boolean> seen =
        expiring(new ValueStateDescriptor<>("seen", Serializers.BOOLEAN), settings);
    List<Long> sizes = new ArrayList<>();
    for (int n = 0; n < 50_000; n++) {
      ValueState<Boolean> state = h.state("session-" + (n / 10), "f.seen", seen);
      if (state.value() == null) {
        state.update(true);
      }
      advance(1);
      if (n % 5_000 == 4_999) {
        sizes.add(h.snapshot(n).stream().mapToLong(SubtaskState::stateSize).sum());
      }
    }
    return sizes;
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "rocksdb"})
  void windowStateCannotExpire(String backend) throws Exception {
    BackendHarness h = harness(backend, 1);
    assertThatThrownBy(
            () -> h.workerOwning("k").getOrCreateState("f.v", value(b -> b), TimeWindow.SERIALIZER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window contents cannot expire");
  }

  /** Counts the values added. */
  private static final class Count implements AggregateFunction<Long, Long, String> {
    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long add(Long value, Long accumulator) {
      return accumulator + 1;
    }

    @Override
    public String getResult(Long accumulator) {
      return accumulator + " values";
    }
  }
}
