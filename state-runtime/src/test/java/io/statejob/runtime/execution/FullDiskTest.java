package io.statejob.runtime.execution;

import static io.statejob.runtime.execution.JobRuns.assertExactCounts;
import static io.statejob.runtime.execution.JobRuns.datagen;
import static io.statejob.runtime.execution.JobRuns.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint directory on a disk that runs full: a real tmpfs, mounted small, then grown. It
 * needs the right to mount, which the test machines have; where it is missing the test is skipped.
 */
class FullDiskTest {
  private static final long EVENTS = 200_000;
  @TempDir Path temp;
  private Path disk;

  @BeforeEach
  void mountASmallDisk() throws Exception {
    disk = Files.createDirectories(temp.resolve("disk"));
    Assumptions.assumeTrue(mount("size=4k"), "mounting a tmpfs needs CAP_SYS_ADMIN");
  }

  @AfterEach
  void unmount() throws Exception {
    new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor();
  }

  private boolean mount(String options) throws Exception {
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", disk.toString())
            .redirectErrorStream(true)
            .start();
    return mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0;
  }

  @Test
  void aFullDiskFailsCheckpointsNamingItAndTheJobFinishesExactlyOnceThereIsRoom() throws Exception {
    RuntimeConfig config =
        JobRuns.config(
            disk,
            "filesystem",
            2,
            Map.of(
                "state.storage.fs.memory-threshold", "0",
                "execution.checkpointing.tolerable-failed-checkpoints", "1000"));
    RecordingListener listener = new RecordingListener();
    List<String> failures = listener.failedCheckpoints;
    JobRunner runner =
        JobRuns.runner(KeyedCountJob.class, datagen(EVENTS, 40_000), config, listener);
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(runner);

    await().atMost(Duration.ofSeconds(60)).until(() -> failures.size() >= 2);
    assertThat(failures)
        .allSatisfy(
            reason ->
                assertThat(reason)
                    .contains("cannot write to file:" + disk.resolve("test-job"))
                    .contains("No space left on device"));
    try (Stream<Path> files = Files.walk(disk)) {
      assertThat(files.filter(f -> f.getFileName().toString().equals("_metadata")))
          .as("nothing half-written counts as complete")
          .isEmpty();
    }
    assertThat(run).isNotDone();

    assertThat(mount("remount,size=64m")).isTrue();
    CompletedCheckpoint last = run.get(2, TimeUnit.MINUTES);
    assertExactCounts(dump(last, config), "count-and-sum", EVENTS);
  }

  @Test
  void aFullRocksDBLocalDirectoryFailsTheAttemptNamingItAndTheJobRestartsUntilThereIsRoom()
      throws Exception {
    Path checkpoints = temp.resolve("checkpoints");
    RuntimeConfig config =
        JobRuns.config(
            checkpoints,
            "rocksdb",
            2,
            Map.of(
                "state.backend.incremental", "true",
                "state.backend.rocksdb.localdir", disk.toString(),
                "restart-strategy.fixed-delay.attempts", "1000"));
    RecordingListener listener = new RecordingListener();
    CompletableFuture<CompletedCheckpoint> run =
        JobRuns.runAsync(
            JobRuns.runner(KeyedCountJob.class, datagen(EVENTS, 40_000), config, listener));

    await().atMost(Duration.ofSeconds(60)).until(() -> listener.restarts.size() >= 2);
    assertThat(listener.restarts)
        .allSatisfy(
            cause ->
                assertThat(cause)
                    .containsIgnoringCase("No space left on device")
                    .contains(disk.toString()));
    assertThat(listener.completed).as("no checkpoint completes without room").isEmpty();

    assertThat(mount("remount,size=256m")).isTrue();
    CompletedCheckpoint last = run.get(2, TimeUnit.MINUTES);
    assertExactCounts(dump(last, config), "count-and-sum", EVENTS);
  }
}
