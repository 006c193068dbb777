package io.statejob.runtime.cli;

import static io.statejob.runtime.execution.JobRuns.datagen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.execution.JobListener;
import io.statejob.runtime.execution.JobRunner;
import io.statejob.runtime.execution.JobRuns;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.StopMode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the operator's cleanup pod runs when a StateJob with checkpoints.cleanupOnDelete goes. */
class CheckpointsDeleteCommandTest {
  @TempDir Path temp;

  @Test
  void deletesEveryCheckpointAndSharedFileOfTheJobAndKeepsItsSavepoints() throws Exception {
    RuntimeConfig config =
        JobRuns.config(
            temp.resolve("checkpoints"),
            "rocksdb",
            2,
            Map.of(
                "state.backend.incremental",
                "true",
                "state.backend.rocksdb.localdir",
                temp.resolve("local").toString()));
    JobRunner runner =
        JobRuns.runner(KeyedCountJob.class, datagen(20_000, 20_000), config, new JobListener() {});
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(runner);
    await().atMost(Duration.ofSeconds(30)).until(() -> runner.recordsProcessed() > 2_000);
    CompletedCheckpoint savepoint =
        runner.triggerSavepoint(StopMode.NONE).get(30, TimeUnit.SECONDS);
    run.get(60, TimeUnit.SECONDS);
    Path jobDir = temp.resolve("checkpoints").resolve("test-job");
    assertThat(jobDir.resolve("shared")).isNotEmptyDirectory();
    Path otherJob = Files.createDirectories(temp.resolve("checkpoints/other-job/chk-1"));

    Path configFile = temp.resolve("statejob.yaml");
    Files.writeString(configFile, "state.backend: rocksdb\n");
    StringWriter out = new StringWriter();
    int exit =
        StateJobCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(out))
            .execute(
                "checkpoints",
                "delete",
                jobDir.toUri().toString(),
                "--config",
                configFile.toString());

    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString()).containsPattern("deleted [1-9]\\d* checkpoints under ");
    try (Stream<Path> left = Files.list(jobDir)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("savepoints");
    }
    assertThat(Path.of(java.net.URI.create(savepoint.path())).resolve("_metadata")).exists();
    assertThat(otherJob).exists();
  }
}
