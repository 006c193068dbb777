package io.statejob.runtime.execution;

import static io.statejob.runtime.execution.JobRuns.assertExactCounts;
import static io.statejob.runtime.execution.JobRuns.datagen;
import static io.statejob.runtime.execution.JobRuns.dump;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.cli.StateJobCli;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.StreamHandle;
import io.statejob.runtime.storage.HadoopFileSystems;
import io.statejob.runtime.testing.Await;
import io.statejob.runtime.testing.LocalS3Server;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Jobs checkpointing to s3a:// on a real S3-compatible server on 127.0.0.1. */
class S3JobTest {
  private static LocalS3Server s3;
  private static ListAppender<ILoggingEvent> logs;

  @TempDir Path temp;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = LocalS3Server.start("jobs");
    logs = LocalS3Server.captureLogs();
  }

  @AfterAll
  static void stopServer() throws Exception {
    s3.close();
    LocalS3Server.assertSecretNeverLogged(logs);
  }

  private RuntimeConfig config(
      String prefix, String backend, int parallelism, Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(s3.s3aConfig());
    values.put("state.backend.rocksdb.localdir", temp.resolve("local").toString());
    values.putAll(extra);
    return JobRuns.config("s3a://jobs/" + prefix, backend, parallelism, values);
  }

  @ParameterizedTest(name = "{0}, incremental {1}")
  @CsvSource({"memory, false", "filesystem, false", "rocksdb, false", "rocksdb, true"})
  void everyBackendCheckpointsToS3AndRestoresAtAnotherParallelism(
      String backend, boolean incremental) throws Exception {
    String prefix = backend + "-" + incremental;
    Map<String, String> extra = Map.of("state.backend.incremental", String.valueOf(incremental));
    JobRuns.run(KeyedCountJob.class, datagen(10_000, 0), config(prefix, backend, 2, extra));
    RuntimeConfig config = config(prefix, backend, 3, extra);
    CompletedCheckpoint last = JobRuns.run(KeyedCountJob.class, datagen(20_000, 0), config);
    assertThat(last.path()).startsWith("s3a://jobs/" + prefix + "/test-job/chk-");
    assertExactCounts(dump(last, config), "count-and-sum", 20_000);
  }

  @Test
  void incrementalCheckpointsUploadOnlyNewSstFilesToShared() throws Exception {
    RuntimeConfig config =
        config("incremental", "rocksdb", 1, Map.of("state.backend.incremental", "true"));
    List<CompletedCheckpoint> completed = new CopyOnWriteArrayList<>();
    JobRuns.runner(
            KeyedCountJob.class,
            datagen(30_000, 30_000),
            config,
            new JobListener() {
              @Override
              public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
                completed.add(checkpoint);
              }
            })
        .run();
    assertThat(completed).hasSizeGreaterThan(3);
    boolean reused = false;
    for (int i = 1; i < completed.size(); i++) {
      Map<String, StreamHandle> before = sharedFiles(completed.get(i - 1));
      Map<String, StreamHandle> after = sharedFiles(completed.get(i));
      after
          .values()
          .forEach(
              f -> assertThat(f.path()).startsWith("s3a://jobs/incremental/test-job/shared/chk-"));
      for (Map.Entry<String, StreamHandle> file : after.entrySet()) {
        if (file.getValue().equals(before.get(file.getKey()))) {
          reused = true;
        }
      }
      long newBytes =
          after.entrySet().stream()
              .filter(e -> !e.getValue().equals(before.get(e.getKey())))
              .mapToLong(e -> e.getValue().size())
              .sum();
      long privateBytes =
          completed
              .get(i)
              .metadata()
              .subtasks()
              .get(0)
              .incremental()
              .orElseThrow()
              .privateFiles()
              .values()
              .stream()
              .mapToLong(StreamHandle::size)
              .sum();
      assertThat(
              completed
                  .get(i)
                  .metadata()
                  .subtasks()
                  .get(0)
                  .incremental()
                  .orElseThrow()
                  .uploadedBytes())
          .as(
              "checkpoint %d uploads its new SSTs and own files, nothing else",
              completed.get(i).id())
          .isEqualTo(newBytes + privateBytes);
    }
    assertThat(reused).as("some SST is referenced by two consecutive checkpoints").isTrue();
  }

  private static Map<String, StreamHandle> sharedFiles(CompletedCheckpoint checkpoint) {
    return checkpoint.metadata().subtasks().get(0).incremental().orElseThrow().sharedFiles();
  }

  @Test
  void anOutageFailsCheckpointsClearlyTheJobGoesOnAndALaterCheckpointCompletes() throws Exception {
    RuntimeConfig config =
        config(
            "outage",
            "rocksdb",
            2,
            Map.of(
                "state.backend.incremental", "true",
                "execution.checkpointing.interval", "200ms",
                "execution.checkpointing.tolerable-failed-checkpoints", "1000"));
    List<Long> completed = new CopyOnWriteArrayList<>();
    List<String> failures = new CopyOnWriteArrayList<>();
    List<Long> failedIds = new CopyOnWriteArrayList<>();
    JobRunner runner =
        JobRuns.runner(
            KeyedCountJob.class,
            datagen(150_000, 30_000),
            config,
            new JobListener() {
              @Override
              public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
                completed.add(checkpoint.id());
              }

              @Override
              public void checkpointFailed(long checkpointId, String reason) {
                failedIds.add(checkpointId);
                failures.add(reason);
              }
            });
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(runner);
    Await.until(() -> completed.size() >= 2, 60);
    s3.stop();
    try {
      Await.until(() -> !failures.isEmpty(), 60);
      long atFailure = runner.recordsProcessed();
      Thread.sleep(500);
      assertThat(runner.recordsProcessed()).as("processing goes on").isGreaterThan(atFailure);
    } finally {
      s3.restart();
    }
    long lastFailed = failedIds.get(failedIds.size() - 1);
    CompletedCheckpoint last = run.get(120, TimeUnit.SECONDS);
    assertThat(completed).anyMatch(id -> id > lastFailed);
    assertThat(failures.get(0))
        .contains("s3a://jobs/outage/test-job")
        .contains("endpoint " + s3.endpoint());
    FileSystem fs = HadoopFileSystems.get(URI.create("s3a://jobs/"), config);
    for (long id : new ArrayList<>(failedIds)) {
      assertThat(
              fs.exists(
                  new org.apache.hadoop.fs.Path(
                      "s3a://jobs/outage/test-job/chk-" + id + "/_metadata")))
          .as("failed checkpoint %d has no _metadata", id)
          .isFalse();
    }
    assertExactCounts(dump(last, config), "count-and-sum", 150_000);
  }

  @Test
  void theCheckpointToolsWorkOnS3Paths() throws Exception {
    RuntimeConfig config = config("tools", "filesystem", 1, Map.of());
    JobRuns.run(KeyedCountJob.class, datagen(2_000, 0), config);
    List<String> storageFlags = new ArrayList<>();
    s3.s3aConfig().forEach((k, v) -> storageFlags.addAll(List.of("-D", k + "=" + v)));
    assertThat(cli("list", "s3a://jobs/tools", storageFlags))
        .contains("s3a://jobs/tools/test-job/chk-");
    assertThat(cli("inspect", "s3a://jobs/tools", storageFlags))
        .contains("backend: \"filesystem\"")
        .contains("datagen-00003:")
        .contains("offset: 500")
        .contains("stage: \"count-and-sum\"".replace("count-and-sum", "keyBy-1"));
    assertThat(cli("dump", "s3a://jobs/tools", storageFlags).lines())
        .filteredOn(l -> l.contains("\"type\":\"split\""))
        .hasSize(DatagenSource.DEFAULT_SPLITS);
  }

  private static String cli(String command, String path, List<String> flags) {
    StringWriter out = new StringWriter();
    List<String> args = new ArrayList<>(List.of("checkpoints", command, path));
    args.addAll(flags);
    int exit =
        StateJobCli.commandLine().setOut(new PrintWriter(out)).execute(args.toArray(String[]::new));
    assertThat(exit).isZero();
    return out.toString();
  }

  @Test
  void theFileSinkCommitsEveryRecordToS3ExactlyOnceAcrossAFailure() throws Exception {
    FailOnceJob.FAILED.set(false);
    List<String> args = new ArrayList<>(datagen(40_000, 40_000));
    // one split: each line holds a running count and sum, which depend on the order of a key's
    // records
    args.addAll(
        List.of(
            "--splits",
            "1",
            "--sink",
            "file",
            "--output",
            "s3a://jobs/sink",
            "--fail-at",
            "25000"));
    RuntimeConfig config = config("sink-checkpoints", "filesystem", 3, Map.of());
    JobRuns.run(FailOnceJob.class, args, config);
    assertThat(FailOnceJob.FAILED.get()).isTrue();

    FileSystem fs = HadoopFileSystems.get(URI.create("s3a://jobs/"), config);
    List<String> lines = new ArrayList<>();
    for (var file : fs.listStatus(new org.apache.hadoop.fs.Path("s3a://jobs/sink"))) {
      if (file.isFile()) {
        try (var in = fs.open(file.getPath())) {
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .lines()
              .forEach(lines::add);
        }
      }
    }
    assertThat(lines.stream().sorted().toList()).isEqualTo(FileSinkTest.expectedLines(40_000, 300));
    assertThat(fs.listStatus(new org.apache.hadoop.fs.Path("s3a://jobs/sink/.inprogress")))
        .as("in-progress files left")
        .isEmpty();
  }
}
