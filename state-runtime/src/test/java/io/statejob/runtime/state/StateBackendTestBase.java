package io.statejob.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.examples.KeyStatisticsJob;
import io.statejob.examples.KeyStatisticsJob.MeanAccumulator;
import io.statejob.runtime.api.state.AggregatingState;
import io.statejob.runtime.api.state.AggregatingStateDescriptor;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.api.state.MapState;
import io.statejob.runtime.api.state.MapStateDescriptor;
import io.statejob.runtime.api.state.ReducingState;
import io.statejob.runtime.api.state.ReducingStateDescriptor;
import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.serialization.PojoSerializer;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.testing.BackendHarness;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Behaviour every state backend must have, run against each one by a subclass (as Flink's
 * StateBackendTestBase is).
 */
public abstract class StateBackendTestBase {
  static final ValueStateDescriptor<Long> COUNT =
      new ValueStateDescriptor<>("count", Serializers.LONG);
  static final ListStateDescriptor<String> EVENTS =
      new ListStateDescriptor<>("events", Serializers.STRING);
  static final MapStateDescriptor<String, Long> PER_CATEGORY =
      new MapStateDescriptor<>("perCategory", Serializers.STRING, Serializers.LONG);
  static final ReducingStateDescriptor<Long> MAX =
      new ReducingStateDescriptor<>("max", Math::max, Serializers.LONG);

  /** Its accumulator is mutated in place, as aggregate functions often do. */
  static final AggregatingStateDescriptor<Long, MeanAccumulator, Double> MEAN =
      new AggregatingStateDescriptor<>(
          "mean", new KeyStatisticsJob.Mean(), new PojoSerializer<>(MeanAccumulator.class));

  @TempDir protected Path tempDir;
  private final List<BackendHarness> opened = new ArrayList<>();

  /** The configuration of the backend under test, checkpointing under {@code dir}. */
  protected abstract RuntimeConfig config(Path dir);

  protected BackendHarness harness(int parallelism) throws Exception {
    // a worker's config names its job: the storage's directory
    BackendHarness harness =
        BackendHarness.open(
            config(tempDir).with(RuntimeOptions.JOB_ID, "test-job"),
            parallelism,
            TtlTimeProvider.SYSTEM);
    opened.add(harness);
    return harness;
  }

  protected BackendHarness restore(BackendHarness from, List<SubtaskState> acks, int parallelism)
      throws Exception {
    BackendHarness restored = from.restore(acks, parallelism);
    opened.add(restored);
    return restored;
  }

  @AfterEach
  void closeHarnesses() throws Exception {
    for (BackendHarness harness : opened) {
      harness.close();
    }
  }

  /** Writes state of every kind for {@code key}, derived from {@code i}. */
  static void writeAllKinds(BackendHarness h, String key, int i) throws Exception {
    h.<ValueState<Long>>state(key, "f.count", COUNT).update((long) i);
    ListState<String> events = h.state(key, "f.events", EVENTS);
    events.add("e" + i);
    events.add("e" + (i + 1));
    MapState<String, Long> perCategory = h.state(key, "f.perCategory", PER_CATEGORY);
    perCategory.put("a", (long) i);
    perCategory.put("b", (long) i * 2);
    ReducingState<Long> max = h.state(key, "f.max", MAX);
    max.add((long) i);
    max.add((long) i - 1);
    AggregatingState<Long, Double> mean = h.state(key, "f.mean", MEAN);
    mean.add((long) i);
    mean.add((long) i + 2);
  }

  static void assertAllKinds(BackendHarness h, String key, int i) throws Exception {
    assertThat(h.<ValueState<Long>>state(key, "f.count", COUNT).value()).isEqualTo((long) i);
    assertThat(h.<ListState<String>>state(key, "f.events", EVENTS).get())
        .containsExactly("e" + i, "e" + (i + 1));
    MapState<String, Long> perCategory = h.state(key, "f.perCategory", PER_CATEGORY);
    assertThat(perCategory.get("a")).isEqualTo((long) i);
    assertThat(perCategory.get("b")).isEqualTo((long) i * 2);
    assertThat(perCategory.contains("c")).isFalse();
    assertThat(h.<ReducingState<Long>>state(key, "f.max", MAX).get()).isEqualTo((long) i);
    assertThat(h.<AggregatingState<Long, Double>>state(key, "f.mean", MEAN).get())
        .isEqualTo(i + 1.0);
  }

  @Test
  void everyStateKindReadsBackWhatWasWritten() throws Exception {
    BackendHarness h = harness(1);
    for (int i = 0; i < 50; i++) {
      writeAllKinds(h, "key-" + i, i);
    }
    for (int i = 0; i < 50; i++) {
      assertAllKinds(h, "key-" + i, i);
    }
    assertThat(h.<ValueState<Long>>state("absent", "f.count", COUNT).value()).isNull();
    assertThat(h.<ListState<String>>state("absent", "f.events", EVENTS).get()).isEmpty();
    assertThat(h.<MapState<String, Long>>state("absent", "f.perCategory", PER_CATEGORY).isEmpty())
        .isTrue();
    assertThat(h.<ReducingState<Long>>state("absent", "f.max", MAX).get()).isNull();
    assertThat(h.<AggregatingState<Long, Double>>state("absent", "f.mean", MEAN).get()).isNull();
  }

  @Test
  void clearAndRemoveDeleteOnlyTheCurrentKey() throws Exception {
    BackendHarness h = harness(1);
    writeAllKinds(h, "a", 1);
    writeAllKinds(h, "b", 2);
    h.<ValueState<Long>>state("a", "f.count", COUNT).clear();
    h.<ListState<String>>state("a", "f.events", EVENTS).update(List.of());
    MapState<String, Long> map = h.state("a", "f.perCategory", PER_CATEGORY);
    map.remove("a");
    map.remove("b");
    assertThat(h.<ValueState<Long>>state("a", "f.count", COUNT).value()).isNull();
    assertThat(h.<ListState<String>>state("a", "f.events", EVENTS).get()).isEmpty();
    assertThat(h.<MapState<String, Long>>state("a", "f.perCategory", PER_CATEGORY).isEmpty())
        .isTrue();
    assertAllKinds(h, "b", 2);

    BackendHarness restored = restore(h, h.snapshot(1), 1);
    assertThat(restored.<ValueState<Long>>state("a", "f.count", COUNT).value()).isNull();
    assertAllKinds(restored, "b", 2);
  }

  @Test
  void restoresEveryStateKindFromASnapshot() throws Exception {
    BackendHarness h = harness(2);
    for (int i = 0; i < 500; i++) {
      writeAllKinds(h, "key-" + i, i);
    }
    BackendHarness restored = restore(h, h.snapshot(1), 2);
    for (int i = 0; i < 500; i++) {
      assertAllKinds(restored, "key-" + i, i);
    }
  }

  @ParameterizedTest(name = "{0} workers to {1}")
  @CsvSource({"2, 3", "3, 2", "1, 4", "4, 1"})
  void rescaleKeepsEveryKeyAndValue(int from, int to) throws Exception {
    BackendHarness h = harness(from);
    for (int i = 0; i < 1000; i++) {
      writeAllKinds(h, "key-" + i, i);
    }
    BackendHarness rescaled = restore(h, h.snapshot(1), to);
    for (int i = 0; i < 1000; i++) {
      assertAllKinds(rescaled, "key-" + i, i);
    }
  }

  @Test
  void aSnapshotHoldsExactlyTheStateAtTheCheckpointWhileWritesGoOn() throws Exception {
    BackendHarness h = harness(2);
    for (int i = 0; i < 300; i++) {
      writeAllKinds(h, "key-" + i, i);
    }
    var frozen = h.freeze(1);
    // writes after the synchronous part: none of them may reach the snapshot
    for (int i = 0; i < 300; i++) {
      String key = "key-" + i;
      h.<ValueState<Long>>state(key, "f.count", COUNT).update(-1L);
      h.<ListState<String>>state(key, "f.events", EVENTS).add("late");
      h.<MapState<String, Long>>state(key, "f.perCategory", PER_CATEGORY).put("a", -1L);
      h.<MapState<String, Long>>state(key, "f.perCategory", PER_CATEGORY).put("late", 1L);
      h.<ReducingState<Long>>state(key, "f.max", MAX).add(1_000_000L);
      h.<AggregatingState<Long, Double>>state(key, "f.mean", MEAN).add(1_000_000L);
    }
    for (int i = 300; i < 400; i++) {
      writeAllKinds(h, "key-" + i, i);
    }
    h.<ValueState<Long>>state("key-0", "f.count", COUNT).clear();
    BackendHarness restored = restore(h, h.write(1, frozen), 2);
    for (int i = 0; i < 300; i++) {
      assertAllKinds(restored, "key-" + i, i);
      assertThat(
              restored
                  .<MapState<String, Long>>state("key-" + i, "f.perCategory", PER_CATEGORY)
                  .contains("late"))
          .isFalse();
    }
    assertThat(restored.<ValueState<Long>>state("key-300", "f.count", COUNT).value()).isNull();
  }

  @Test
  void aSnapshotWrittenOnAnotherThreadIsExactWhileTheOwnerKeepsWriting() throws Exception {
    BackendHarness h = harness(1);
    Map<String, Long> expected = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      h.<ValueState<Long>>state("key-" + i, "f.count", COUNT).update((long) i);
      h.<ListState<String>>state("key-" + i, "f.events", EVENTS).add("v" + i);
      expected.put("key-" + i, (long) i);
    }
    var frozen = h.freeze(1);
    CompletableFuture<List<SubtaskState>> written =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return h.write(1, frozen);
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    AtomicBoolean done = new AtomicBoolean();
    written.whenComplete((r, e) -> done.set(true));
    long round = 0;
    while (!done.get() || round < 3) {
      for (int i = 0; i < 20_000; i += 7) {
        h.<ValueState<Long>>state("key-" + i, "f.count", COUNT).update(-round);
        h.<ListState<String>>state("key-" + i, "f.events", EVENTS).add("late");
      }
      round++;
    }
    BackendHarness restored = restore(h, written.get(), 1);
    for (int i = 0; i < 20_000; i++) {
      String key = "key-" + i;
      assertThat(restored.<ValueState<Long>>state(key, "f.count", COUNT).value())
          .isEqualTo(expected.get(key));
      assertThat(restored.<ListState<String>>state(key, "f.events", EVENTS).get())
          .containsExactly("v" + i);
    }
  }

  @Test
  void restoredStateThatTheJobDoesNotRegisterIsCarriedIntoTheNextSnapshot() throws Exception {
    BackendHarness h = harness(2);
    for (int i = 0; i < 100; i++) {
      writeAllKinds(h, "key-" + i, i);
    }
    BackendHarness second = restore(h, h.snapshot(1), 2);
    // the second run only touches one state; the others must survive its checkpoint
    second.<ValueState<Long>>state("key-0", "f.count", COUNT).update(42L);
    BackendHarness third = restore(second, second.snapshot(2), 3);
    assertThat(third.<ValueState<Long>>state("key-0", "f.count", COUNT).value()).isEqualTo(42L);
    for (int i = 1; i < 100; i++) {
      assertAllKinds(third, "key-" + i, i);
    }
  }

  @Test
  void restoringWithAnotherSerializerFailsNamingTheState() throws Exception {
    BackendHarness h = harness(1);
    h.<ValueState<Long>>state("k", "f.count", COUNT).update(1L);
    BackendHarness restored = restore(h, h.snapshot(1), 1);
    assertThatThrownBy(
            () ->
                restored.state(
                    "k", "f.count", new ValueStateDescriptor<>("count", Serializers.STRING)))
        .hasMessageContaining("f.count")
        .hasMessageContaining("long")
        .hasMessageContaining("string");
  }
}
