package io.statejob.runtime.execution;

import static io.statejob.runtime.execution.JobRuns.assertExactCounts;
import static io.statejob.runtime.execution.JobRuns.datagen;
import static io.statejob.runtime.execution.JobRuns.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job that had state never starts empty because its storage lost it. */
class ExpectedRestorePointTest {
  @TempDir Path temp;

  private RuntimeConfig config(Path dir, Map<String, String> extra) {
    return JobRuns.configIn(dir, "filesystem", 2, extra);
  }

  private static Map<String, String> expecting(long id, String... more) {
    Map<String, String> values = new HashMap<>();
    values.put("execution.restore.expected-checkpoint-id", String.valueOf(id));
    values.put("execution.restore.expected-checkpoint-path", "s3a://bucket/test-job/chk-" + id);
    for (int i = 0; i < more.length; i += 2) {
      values.put(more[i], more[i + 1]);
    }
    return values;
  }

  @Test
  void emptyStorageWhereACheckpointWasExpectedFailsWithTheWaysOutAndWritesNothing()
      throws Exception {
    RecordingListener restores = new RecordingListener();
    JobRunner runner =
        JobRuns.runner(
            KeyedCountJob.class, datagen(1_000, 0), config(temp, expecting(7)), restores);

    assertThatThrownBy(runner::run)
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> assertThat(e.reason()).isEqualTo(JobFailedException.Reason.RestorePointMissing))
        .hasMessageContaining("latest checkpoint is 7 (s3a://bucket/test-job/chk-7)")
        .hasMessageContaining("holds no completed checkpoint")
        .hasMessageContaining("does not start from empty state")
        .hasMessageContaining("spec.restore.path")
        .hasMessageContaining("spec.restore.allowEmptyState: true");
    assertThat(restores.restores).as("no attempt started").isEmpty();
    try (var written = Files.list(temp.resolve("checkpoints/test-job"))) {
      assertThat(written.map(p -> p.getFileName().toString()))
          .as("no checkpoint, only the coordinator's epoch")
          .containsExactly("_coordinators");
    }
  }

  @Test
  void storageWithOnlyOlderCheckpointsFailsAndStorageWithTheExpectedOneRestoresIt()
      throws Exception {
    CompletedCheckpoint first =
        JobRuns.run(KeyedCountJob.class, datagen(5_000, 0), config(temp, Map.of()));

    JobRunner behind =
        JobRuns.runner(
            KeyedCountJob.class,
            datagen(10_000, 0),
            config(temp, expecting(first.id() + 3)),
            new JobListener() {});
    assertThatThrownBy(behind::run)
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("holds none newer than " + first.id())
        .hasMessageContaining("does not start from older state");

    RecordingListener restores = new RecordingListener();
    RuntimeConfig upToDate = config(temp, expecting(first.id()));
    CompletedCheckpoint last =
        JobRuns.runner(KeyedCountJob.class, datagen(10_000, 0), upToDate, restores).run();
    assertThat(restores.restores).containsExactly(first.id());
    assertExactCounts(dump(last, upToDate), "count-and-sum", 10_000);
  }

  @Test
  void allowEmptyStateStartsFromNothingWhenAskedTo() throws Exception {
    RecordingListener restores = new RecordingListener();
    RuntimeConfig config =
        config(temp, expecting(7, "execution.restore.allow-empty-state", "true"));
    CompletedCheckpoint last =
        JobRuns.runner(KeyedCountJob.class, datagen(2_000, 0), config, restores).run();

    assertThat(restores.restores).containsExactly(0L);
    assertExactCounts(dump(last, config), "count-and-sum", 2_000);
  }

  @Test
  void aRestorePathIsTheOtherWayOut() throws Exception {
    Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
    CompletedCheckpoint saved =
        JobRuns.run(KeyedCountJob.class, datagen(3_000, 0), config(elsewhere, Map.of()));

    RecordingListener restores = new RecordingListener();
    RuntimeConfig config = config(temp, expecting(50, "execution.savepoint.path", saved.path()));
    CompletedCheckpoint last =
        JobRuns.runner(KeyedCountJob.class, datagen(6_000, 0), config, restores).run();

    assertThat(restores.restores).containsExactly(saved.id());
    assertExactCounts(dump(last, config), "count-and-sum", 6_000);
  }
}
