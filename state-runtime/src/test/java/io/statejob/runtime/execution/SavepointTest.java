package io.statejob.runtime.execution;

import static io.statejob.runtime.execution.JobRuns.assertExactCounts;
import static io.statejob.runtime.execution.JobRuns.datagen;
import static io.statejob.runtime.execution.JobRuns.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.StopMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SavepointTest {
  private static final long EVENTS = 40_000;

  @TempDir Path temp;

  private RuntimeConfig config(String backend, String interval) {
    Map<String, String> extra = new HashMap<>();
    extra.put("state.backend.incremental", String.valueOf(backend.equals("rocksdb")));
    extra.put("state.backend.rocksdb.localdir", temp.resolve("local").toString());
    extra.put("state.checkpoints.num-retained", "1");
    extra.put("execution.checkpointing.interval", interval);
    return JobRuns.config(temp.resolve("checkpoints"), backend, 2, extra);
  }

  /**
   * Checkpoints are off (1 h interval), so when the job is cancelled the savepoint is all there is:
   * the next run must resume from it and still count every event exactly once.
   */
  @ParameterizedTest(name = "{0} backend")
  @CsvSource({"memory", "filesystem", "rocksdb"})
  void aJobCancelledAfterASavepointResumesFromItExactly(String backend) throws Exception {
    RuntimeConfig config = config(backend, "1h");
    JobRunner first = JobRuns.runner(KeyedCountJob.class, datagen(-1, 20_000), config, none());
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(first);
    await().atMost(Duration.ofSeconds(30)).until(() -> first.recordsProcessed() > 5_000);
    CompletedCheckpoint savepoint = first.triggerSavepoint(StopMode.NONE).get(30, TimeUnit.SECONDS);
    first.cancel();
    assertThatThrownBy(run::join).hasCauseInstanceOf(CancellationException.class);

    assertThat(savepoint.path()).endsWith("/test-job/savepoints/sp-" + savepoint.id());
    assertThat(savepoint.metadata().type()).isEqualTo(SnapshotType.SAVEPOINT);
    assertThat(savepoint.metadata().subtasks())
        .as("self-contained: no file shared with checkpoints")
        .allSatisfy(subtask -> assertThat(subtask.incremental()).isEmpty());

    List<Optional<CompletedCheckpoint>> restores = new CopyOnWriteArrayList<>();
    CompletedCheckpoint last =
        JobRuns.runner(KeyedCountJob.class, datagen(EVENTS, 0), config, restoresInto(restores))
            .run();
    assertThat(restores.get(0)).map(CompletedCheckpoint::path).hasValue(savepoint.path());
    assertExactCounts(dump(last, config), "count-and-sum", EVENTS);
  }

  /**
   * With one retained checkpoint and checkpoints every 50 ms, many checkpoints complete after the
   * savepoint; the savepoint stays, and incremental checkpoints go on from their own base.
   */
  @Test
  void savepointsOutliveRetainedCheckpointsAndLeaveIncrementalCheckpointsIntact() throws Exception {
    RuntimeConfig config = config("rocksdb", "50ms");
    JobRunner runner = JobRuns.runner(KeyedCountJob.class, datagen(EVENTS, 20_000), config, none());
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(runner);
    await().atMost(Duration.ofSeconds(30)).until(() -> runner.recordsProcessed() > 5_000);
    CompletedCheckpoint savepoint =
        runner.triggerSavepoint(StopMode.NONE).get(30, TimeUnit.SECONDS);
    CompletedCheckpoint last = run.get(60, TimeUnit.SECONDS);

    assertThat(last.id()).isGreaterThan(savepoint.id() + 3);
    assertThat(last.metadata().type()).isEqualTo(SnapshotType.CHECKPOINT);
    assertThat(last.metadata().subtasks()).allSatisfy(s -> assertThat(s.incremental()).isPresent());
    assertThat(Path.of(java.net.URI.create(savepoint.path())).resolve("_metadata")).exists();
    assertThat(dump(savepoint, config)).isNotEmpty();
    assertExactCounts(dump(last, config), "count-and-sum", EVENTS);
    assertThat(
            last.metadata().subtasks().stream()
                .map(subtask -> subtask.incremental().orElseThrow())
                .flatMap(files -> files.sharedFiles().values().stream())
                .map(file -> file.path()))
        .noneMatch(path -> path.contains("/savepoints/"));
  }

  @Test
  void theMemoryBackendWithoutACheckpointDirectoryRefusesSavepointsAndGoesOn() throws Exception {
    RuntimeConfig config =
        RuntimeConfig.of(
            Map.of(
                "job.id", "test-job",
                "state.backend", "memory",
                "parallelism.default", "1",
                "execution.checkpointing.interval", "100ms"));
    JobRunner runner = JobRuns.runner(KeyedCountJob.class, datagen(-1, 20_000), config, none());
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(runner);
    await().atMost(Duration.ofSeconds(30)).until(() -> runner.recordsProcessed() > 1_000);

    assertThatThrownBy(() -> runner.triggerSavepoint(StopMode.NONE).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasMessageContaining("savepoints need a checkpoint directory (state.checkpoints.dir");
    long before = runner.recordsProcessed();
    await().atMost(Duration.ofSeconds(10)).until(() -> runner.recordsProcessed() > before + 1_000);
    runner.cancel();
    assertThatThrownBy(run::join).hasCauseInstanceOf(CancellationException.class);
  }

  @Test
  void aSavepointOfAJobThatIsNotRunningFailsAtOnce() throws Exception {
    JobRunner runner =
        JobRuns.runner(KeyedCountJob.class, datagen(10, 0), config("memory", "1h"), none());
    assertThatThrownBy(() -> runner.triggerSavepoint(StopMode.NONE).get(10, TimeUnit.SECONDS))
        .hasMessageContaining("the job is not running");
  }

  private static JobListener none() {
    return new JobListener() {};
  }

  private static JobListener restoresInto(List<Optional<CompletedCheckpoint>> restores) {
    return new JobListener() {
      @Override
      public void started(Optional<CompletedCheckpoint> restoredFrom, int attempt) {
        restores.add(restoredFrom);
      }
    };
  }
}
