package io.statejob.runtime.execution;

import static io.statejob.runtime.execution.JobRuns.dump;
import static io.statejob.runtime.execution.JobRuns.keyedLongs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every record crosses the exchange twice (keyed by key, then by value bucket): each keyed stage's
 * state holds every event exactly once, across a failure and across rescales, on every backend.
 */
class TwoKeyedStagesTest {
  private static final long EVENTS = 30_000;
  private static final int KEYS = 300;

  @TempDir Path temp;

  static Stream<Arguments> backendsAndParallelism() {
    List<Arguments> all = new ArrayList<>();
    for (String backend : List.of("memory", "filesystem", "rocksdb", "rocksdb-incremental")) {
      for (int parallelism = 1; parallelism <= 3; parallelism++) {
        all.add(Arguments.of(backend, parallelism));
      }
    }
    return all.stream();
  }

  private RuntimeConfig config(String backend, int parallelism) {
    return JobRuns.configIn(temp, backend, parallelism, Map.of());
  }

  private static List<String> args(long rate, long failAt) {
    return List.of(
        "--events",
        String.valueOf(EVENTS),
        "--keys",
        String.valueOf(KEYS),
        "--splits",
        "5",
        "--rate",
        String.valueOf(rate),
        "--fail-at",
        String.valueOf(failAt));
  }

  @ParameterizedTest(name = "{0} at parallelism {1}")
  @MethodSource("backendsAndParallelism")
  void eachKeyedStageHoldsEveryEventOnceAcrossAFailure(String backend, int parallelism)
      throws Exception {
    FailOnceJob.FAILED.set(false);
    RuntimeConfig config = config(backend, parallelism);
    CompletedCheckpoint last = JobRuns.run(TwoKeyByJob.class, args(60_000, EVENTS / 2), config);
    assertThat(FailOnceJob.FAILED.get()).as("the job failed once and restarted").isTrue();
    assertExact(dump(last, config));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "filesystem", "rocksdb", "rocksdb-incremental"})
  void bothKeyedStagesRescaleExactly(String backend) throws Exception {
    FailOnceJob.FAILED.set(true); // no failure
    runUntilCheckpointThenCancel(config(backend, 2));
    runUntilCheckpointThenCancel(config(backend, 3));
    RuntimeConfig last = config(backend, 1);
    CompletedCheckpoint finished = JobRuns.run(TwoKeyByJob.class, args(60_000, -1), last);
    assertThat(finished.metadata().parallelism()).isEqualTo(1);
    assertExact(dump(finished, last));
  }

  /** Runs until two more checkpoints complete, then cancels: a rescale point mid-stream. */
  private void runUntilCheckpointThenCancel(RuntimeConfig config) throws Exception {
    CompletableFuture<Void> checkpointed = new CompletableFuture<>();
    JobRunner runner =
        JobRuns.runner(
            TwoKeyByJob.class,
            args(20_000, -1),
            config,
            new JobListener() {
              private int completed;

              @Override
              public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
                if (++completed == 2) {
                  checkpointed.complete(null);
                }
              }
            });
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(runner);
    checkpointed.get(60, TimeUnit.SECONDS);
    runner.cancel();
    assertThatThrownBy(run::join).hasCauseInstanceOf(CancellationException.class);
  }

  private static void assertExact(List<JsonNode> dump) {
    JobRuns.assertExactCounts(dump, "per-key", EVENTS);
    Map<String, Long> perBucket = new HashMap<>();
    DatagenSource source = new DatagenSource(EVENTS, KEYS, 42, 0);
    for (long n = 0; n < EVENTS; n++) {
      perBucket.merge(String.valueOf(TwoKeyByJob.bucketOf(source.eventAt(n).key())), 1L, Long::sum);
    }
    assertThat(keyedLongs(dump, "per-bucket.count")).isEqualTo(perBucket);
    assertThat(dump).filteredOn(line -> line.get("type").asText().equals("split")).hasSize(5);
  }
}
