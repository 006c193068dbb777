package io.statejob.runtime.execution;

import static io.statejob.runtime.execution.JobRuns.assertExactCounts;
import static io.statejob.runtime.execution.JobRuns.config;
import static io.statejob.runtime.execution.JobRuns.datagen;
import static io.statejob.runtime.execution.JobRuns.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.examples.CheckpointedCounterJob;
import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobRunnerTest {
  @TempDir Path checkpoints;

  @ParameterizedTest(name = "{0} backend, async snapshots {1}")
  @CsvSource({"memory, true", "memory, false", "filesystem, true", "filesystem, false"})
  void everyEventUpdatesStateExactlyOnce(String backend, boolean async) throws Exception {
    RuntimeConfig config =
        config(checkpoints, backend, 2, Map.of("state.backend.async", String.valueOf(async)));
    CompletedCheckpoint last = JobRuns.run(KeyedCountJob.class, datagen(30_000, 60_000), config);
    assertThat(last.metadata().finalCheckpoint()).isTrue();
    assertThat(last.id()).isGreaterThan(1);
    assertExactCounts(dump(last, config), "count-and-sum", 30_000);
  }

  @Test
  void aWorkerFailureRestartsAllWorkersFromTheLatestCheckpointLosingAndRepeatingNothing()
      throws Exception {
    FailOnceJob.FAILED.set(false);
    RuntimeConfig config = config(checkpoints, "filesystem", 3, Map.of());
    List<String> restarts = new CopyOnWriteArrayList<>();
    List<Long> restoredFrom = new CopyOnWriteArrayList<>();
    CompletedCheckpoint last =
        JobRuns.runner(
                FailOnceJob.class,
                List.of(
                    "--events", "40000", "--keys", "300", "--rate", "40000", "--fail-at", "25000"),
                config,
                new JobListener() {
                  @Override
                  public void restarting(int attempt, Throwable cause) {
                    restarts.add(cause.getMessage());
                  }

                  @Override
                  public void started(
                      java.util.Optional<CompletedCheckpoint> restored, int attempt) {
                    if (attempt > 0) {
                      restoredFrom.add(restored.orElseThrow().id());
                    }
                  }
                })
            .run();
    assertThat(restarts).singleElement().asString().contains("injected failure at 25000");
    assertThat(restoredFrom).singleElement().isNotNull();
    assertExactCounts(dump(last, config), "count-and-sum", 40_000);
  }

  /** Workers that finish before the coordinator starts checkpointing them are not forgotten. */
  @Test
  @org.junit.jupiter.api.Timeout(60)
  void workersWithEmptySourcesEndTheJobWithAFinalCheckpoint() throws Exception {
    for (int run = 0; run < 5; run++) {
      CompletedCheckpoint last =
          JobRuns.run(
              KeyedCountJob.class,
              datagen(0, 0),
              config(checkpoints.resolve("run-" + run), "memory", 4, Map.of()));
      assertThat(last.metadata().finalCheckpoint()).isTrue();
      assertThat(last.metadata().parallelism()).isEqualTo(4);
    }
  }

  @ParameterizedTest(name = "{0} then {1} then {2} workers")
  @CsvSource({"2, 3, 2", "3, 2, 1"})
  void aJobContinuesAtAnotherParallelismFromItsCheckpoint(int first, int second, int third)
      throws Exception {
    JobRuns.run(
        KeyedCountJob.class,
        datagen(10_000, 0),
        config(checkpoints, "filesystem", first, Map.of()));
    JobRuns.run(
        KeyedCountJob.class,
        datagen(20_000, 0),
        config(checkpoints, "filesystem", second, Map.of()));
    RuntimeConfig config = config(checkpoints, "filesystem", third, Map.of());
    CompletedCheckpoint last = JobRuns.run(KeyedCountJob.class, datagen(30_000, 0), config);
    assertThat(last.metadata().parallelism()).isEqualTo(third);
    assertExactCounts(dump(last, config), "count-and-sum", 30_000);
  }

  @Test
  void operatorStateIsSplitAmongWorkersOnRescaleAndLosesNoElement() throws Exception {
    List<String> args = datagen(12_000, 0);
    JobRuns.run(CheckpointedCounterJob.class, args, config(checkpoints, "memory", 3, Map.of()));
    RuntimeConfig config = config(checkpoints, "memory", 2, Map.of());
    CompletedCheckpoint last =
        JobRuns.run(CheckpointedCounterJob.class, datagen(20_000, 0), config);
    List<JsonNode> operatorLines =
        dump(last, config).stream().filter(l -> l.get("type").asText().equals("operator")).toList();
    assertThat(operatorLines).hasSize(2);
    long total =
        operatorLines.stream()
            .flatMap(l -> StreamSupport.stream(l.get("elements").spliterator(), false))
            .mapToLong(JsonNode::asLong)
            .sum();
    assertThat(total).isEqualTo(20_000);
  }

  @ParameterizedTest(name = "{0} workers to {1}")
  @CsvSource({"3, 3", "3, 2", "2, 4"})
  void everyWorkerRestoresEveryElementOfUnionListState(int first, int second) throws Exception {
    JobRuns.run(
        UnionStateJob.class, datagen(1_000, 0), config(checkpoints, "memory", first, Map.of()));
    UnionStateJob.RESTORED.clear();
    JobRuns.run(
        UnionStateJob.class, datagen(2_000, 0), config(checkpoints, "memory", second, Map.of()));
    List<Long> all = java.util.stream.LongStream.range(0, first).boxed().toList();
    assertThat(UnionStateJob.RESTORED).hasSize(second);
    UnionStateJob.RESTORED
        .values()
        .forEach(seen -> assertThat(seen).containsExactlyInAnyOrderElementsOf(all));
  }

  @Test
  void aStateOverTheMemoryLimitFailsCheckpointsWithAClearMessageAndTheJobGoesOn() throws Exception {
    RuntimeConfig config =
        config(
            checkpoints,
            "memory",
            2,
            Map.of(
                "state.backend.memory.max-state-size", "1Ki",
                "execution.checkpointing.tolerable-failed-checkpoints", "1000"));
    assertFailsCheckpointsAndGoesOn(
        config,
        "state 'count-and-sum.count' of subtask",
        "over the memory backend's limit state.backend.memory.max-state-size = 1.0 KiB");
  }

  @Test
  void anAcknowledgementOverTheMaxMessageSizeFailsTheCheckpoint() throws Exception {
    RuntimeConfig config =
        config(
            checkpoints,
            "memory",
            1,
            Map.of(
                "coordinator.max-message-size", "2Ki",
                "execution.checkpointing.tolerable-failed-checkpoints", "1000"));
    assertFailsCheckpointsAndGoesOn(
        config,
        "the acknowledgement of subtask 0 is",
        "over coordinator.max-message-size = 2.0 KiB");
  }

  private void assertFailsCheckpointsAndGoesOn(RuntimeConfig config, String... messageParts)
      throws Exception {
    CompletableFuture<String> firstFailure = new CompletableFuture<>();
    JobRunner runner =
        JobRuns.runner(
            KeyedCountJob.class,
            datagen(-1, 20_000),
            config,
            new JobListener() {
              @Override
              public void checkpointFailed(long checkpointId, String reason) {
                firstFailure.complete(reason);
              }
            });
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(runner);
    String reason = firstFailure.get(30, TimeUnit.SECONDS);
    assertThat(reason).contains(messageParts);
    long atFailure = runner.recordsProcessed();
    Thread.sleep(500);
    assertThat(runner.recordsProcessed()).isGreaterThan(atFailure + 1000);
    assertThat(run).isNotDone();
    runner.cancel();
    assertThatThrownBy(run::join).hasCauseInstanceOf(CancellationException.class);
  }
}
