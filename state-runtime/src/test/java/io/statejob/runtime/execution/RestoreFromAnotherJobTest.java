package io.statejob.runtime.execution;

import static io.statejob.runtime.execution.JobRuns.assertExactCounts;
import static io.statejob.runtime.execution.JobRuns.datagen;
import static io.statejob.runtime.execution.JobRuns.dump;
import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job that restores another job's incremental RocksDB checkpoint (a {@code restore.path}, a
 * redeploy under a new job id) owns none of that job's files: its first checkpoint uploads its
 * state again, so the other job's cleanup can never take a file it depends on (Flink's no-claim
 * restore mode).
 */
class RestoreFromAnotherJobTest {
  private static final long EVENTS = 30_000;

  @TempDir Path temp;

  /** The first job, run to its end: an incremental RocksDB checkpoint with shared files. */
  private CompletedCheckpoint firstJobsEnd() throws Exception {
    RuntimeConfig first =
        JobRuns.configIn(temp.resolve("first"), "rocksdb-incremental", 2, Map.of())
            .with(RuntimeOptions.JOB_ID, "first-job");
    CompletedCheckpoint end =
        JobRuns.runner(KeyedCountJob.class, datagen(EVENTS / 2, 0), first, new JobListener() {})
            .run();
    assertThat(end.metadata().subtasks()).allSatisfy(s -> assertThat(s.incremental()).isPresent());
    return end;
  }

  /** A second job restoring {@code from}, in {@code mode}, run to its end. */
  private CompletedCheckpoint secondJobsEnd(CompletedCheckpoint from, String mode)
      throws Exception {
    return secondJobsEnd(from, mode, 0);
  }

  /**
   * @param rate events a second, 0 for as fast as it goes: a slower run takes more checkpoints, and
   *     RocksDB compacts the restored files away
   */
  private CompletedCheckpoint secondJobsEnd(CompletedCheckpoint from, String mode, long rate)
      throws Exception {
    RuntimeConfig second =
        JobRuns.configIn(
                temp.resolve("second"),
                "rocksdb-incremental",
                2,
                Map.of(
                    RuntimeOptions.RESTORE_PATH.key(),
                    from.path(),
                    RuntimeOptions.RESTORE_MODE.key(),
                    mode))
            .with(RuntimeOptions.JOB_ID, "second-job");
    CompletedCheckpoint end =
        JobRuns.runner(KeyedCountJob.class, datagen(EVENTS, rate), second, new JobListener() {})
            .run();
    assertExactCounts(dump(end, second), "count-and-sum", EVENTS);
    return end;
  }

  @Test
  void byDefaultNoCheckpointOfTheRestoringJobReferencesTheOtherJobsFiles() throws Exception {
    Set<String> files = secondJobsEnd(firstJobsEnd(), "no-claim").metadata().files();

    assertThat(files).isNotEmpty().allSatisfy(f -> assertThat(f).contains("/second-job/"));
  }

  @Test
  void aJobThatClaimsTheSnapshotReferencesItsFilesAndDeletesThemOnceItNoLongerDoes()
      throws Exception {
    CompletedCheckpoint first = firstJobsEnd();
    Set<String> claimable = new java.util.TreeSet<>(first.metadata().files());
    claimable.removeIf(f -> !f.contains("/first-job/shared/"));

    CompletedCheckpoint second = secondJobsEnd(first, "claim", 10_000);

    Set<String> stillReferenced = new java.util.TreeSet<>(second.metadata().files());
    stillReferenced.retainAll(claimable);
    assertThat(claimable)
        .filteredOn(f -> !stillReferenced.contains(f))
        .as("claimed files compacted away are this job's to delete")
        .isNotEmpty()
        .allSatisfy(f -> assertThat(Path.of(java.net.URI.create(f))).doesNotExist());
    assertThat(stillReferenced)
        .allSatisfy(f -> assertThat(Path.of(java.net.URI.create(f))).exists());
  }
}
