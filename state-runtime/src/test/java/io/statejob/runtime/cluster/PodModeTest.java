package io.statejob.runtime.cluster;

import static io.statejob.runtime.execution.JobRuns.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.api.model.CheckpointInfo;
import io.statejob.api.protocol.CheckpointsReport;
import io.statejob.api.protocol.JobFailure;
import io.statejob.api.protocol.SnapshotReport;
import io.statejob.api.protocol.SnapshotRequest;
import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.execution.JobFailedException;
import io.statejob.runtime.execution.JobListener;
import io.statejob.runtime.execution.JobProgram;
import io.statejob.runtime.execution.JobRuns;
import io.statejob.runtime.execution.TextCountJob;
import io.statejob.runtime.execution.WorkerCounters;
import io.statejob.runtime.server.HttpCalls;
import io.statejob.runtime.server.HttpEndpoints;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Coordinator and workers as separate processes' objects, over HTTP, as in pods. */
class PodModeTest {
  private static final int EVENTS = 30_000;
  private static final HttpCalls HTTP = new HttpCalls(Duration.ofSeconds(5));

  @TempDir Path checkpoints;
  @TempDir Path localDirs;

  private final List<String> restarts = new CopyOnWriteArrayList<>();
  private final JobListener listener =
      new JobListener() {
        @Override
        public void restarting(int attempt, Throwable cause) {
          restarts.add(cause.getMessage());
        }
      };

  private RuntimeConfig config(String backend, int parallelism) {
    return JobRuns.config(
        checkpoints,
        backend,
        parallelism,
        Map.of(
            "heartbeat.interval", "100ms",
            "heartbeat.timeout", "2s",
            "state.backend.incremental", String.valueOf(backend.equals("rocksdb"))));
  }

  private static JobProgram countJob(long rate) throws Exception {
    return JobProgram.load(
        KeyedCountJob.class.getName(),
        Optional.empty(),
        List.of(
            "--events", String.valueOf(EVENTS), "--keys", "300", "--rate", String.valueOf(rate)));
  }

  private static List<JsonNode> finalState(PodCluster cluster, RuntimeConfig config)
      throws Exception {
    CompletedCheckpoint last = cluster.coordinator().result().get(2, TimeUnit.MINUTES);
    assertThat(last.metadata().finalCheckpoint()).isTrue();
    return dump(last, config);
  }

  @ParameterizedTest(name = "{0} backend")
  @ValueSource(strings = {"memory", "filesystem", "rocksdb"})
  void workersOnHttpCountEveryEventOnce(String backend) throws Exception {
    RuntimeConfig config = config(backend, 3);
    try (PodCluster cluster = new PodCluster(countJob(60_000), config, localDirs, listener)) {
      JobRuns.assertExactCounts(finalState(cluster, config), "count-and-sum", EVENTS);
    }
    assertThat(restarts).isEmpty();
  }

  @Test
  void restartedWorkerProcessesRestoreAllWorkersFromTheLatestCheckpoint() throws Exception {
    RuntimeConfig config = config("rocksdb", 2);
    try (PodCluster cluster = new PodCluster(countJob(10_000), config, localDirs, listener)) {
      for (int kill = 0; kill < 2; kill++) {
        long before = completedCheckpoints(cluster);
        await().atMost(Duration.ofSeconds(30)).until(() -> completedCheckpoints(cluster) > before);
        cluster.restartWorker(kill % 2);
        int restartsBefore = kill;
        await().atMost(Duration.ofSeconds(30)).until(() -> restarts.size() > restartsBefore);
      }
      JobRuns.assertExactCounts(finalState(cluster, config), "count-and-sum", EVENTS);
      assertThat(report(cluster).checkpoints().restoredFrom).isNotNull();
    }
    // the coordinator notices a killed worker at its next request or its new registration, or its
    // peer reports the lost exchange connection first
    assertThat(restarts)
        .hasSize(2)
        .allSatisfy(
            r ->
                assertThat(r)
                    .containsAnyOf("restarted", "cannot reach worker", "connection from worker"));
  }

  @Test
  void aDamagedFileFoundByAWorkerOnHttpMakesTheCoordinatorRestoreFromThePreviousCheckpoint()
      throws Exception {
    RuntimeConfig config =
        JobRuns.config(
            checkpoints,
            "filesystem",
            2,
            Map.of("heartbeat.interval", "100ms", "state.storage.fs.memory-threshold", "0"));
    JobRuns.run(KeyedCountJob.class, JobRuns.datagen(10_000, 20_000), config);
    List<CompletedCheckpoint> retained = JobRuns.retained(checkpoints, config, 3);
    CompletedCheckpoint newest = retained.get(retained.size() - 1);
    CompletedCheckpoint previous = retained.get(retained.size() - 2);
    JobRuns.flipABit(Path.of(URI.create(newest.metadata().subtasks().get(0).stream().path())));

    try (PodCluster cluster = new PodCluster(countJob(0), config, localDirs, listener)) {
      JobRuns.assertExactCounts(finalState(cluster, config), "count-and-sum", EVENTS);
      assertThat(report(cluster).checkpoints().restoredFrom.id).isEqualTo(previous.id());
    }
    assertThat(restarts).singleElement().asString().contains("fails its checksum");
  }

  @Test
  void stateThatDoesNotFitTheJobStopsItAtOnceAndTheCoordinatorReportsWhy() throws Exception {
    RuntimeConfig config = config("filesystem", 2);
    JobRuns.run(KeyedCountJob.class, JobRuns.datagen(2_000, 0), config);
    JobProgram changed =
        JobProgram.load(TextCountJob.class.getName(), Optional.empty(), JobRuns.datagen(4_000, 0));

    try (PodCluster cluster = new PodCluster(changed, config, localDirs, listener)) {
      assertThatThrownBy(() -> cluster.coordinator().result().get(1, TimeUnit.MINUTES))
          .hasCauseInstanceOf(JobFailedException.class);
      JobFailure failure = report(cluster).failure();
      assertThat(failure.reason()).isEqualTo("IncompatibleState");
      assertThat(failure.message()).contains("the job cannot restore");
    }
    assertThat(restarts).isEmpty();
  }

  @Test
  void aRestartedCoordinatorRestoresItsWorkersFromTheCheckpointStorage() throws Exception {
    RuntimeConfig config = config("filesystem", 2);
    try (PodCluster cluster = new PodCluster(countJob(10_000), config, localDirs, listener)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> completedCheckpoints(cluster) >= 2);
      cluster.restartCoordinator();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> report(cluster).checkpoints().restoredFrom != null);
      JobRuns.assertExactCounts(finalState(cluster, config), "count-and-sum", EVENTS);
    }
  }

  @Test
  void processesServeProbesMetricsAndTheCheckpointReport() throws Exception {
    RuntimeConfig config = config("filesystem", 2);
    try (PodCluster cluster = new PodCluster(countJob(5_000), config, localDirs, listener)) {
      String worker = "http://127.0.0.1:" + cluster.worker(1).port();
      await().atMost(Duration.ofSeconds(30)).until(() -> completedCheckpoints(cluster) >= 2);
      assertThat(get(worker + "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(worker + "/readyz").statusCode()).isEqualTo(200);
      assertThat(get(cluster.coordinatorUrl() + "/readyz").statusCode()).isEqualTo(200);

      CheckpointsReport report = report(cluster);
      assertThat(report.checkpoints().latest.id).isGreaterThanOrEqualTo(2);
      assertThat(report.checkpoints().latest.path)
          .contains(checkpoints.toString())
          .endsWith("/test-job/chk-" + report.checkpoints().latest.id);
      assertThat(report.checkpoints().latest.stateSizeBytes).isPositive();
      assertThat(report.checkpoints().history)
          .last()
          .usingRecursiveComparison()
          .isEqualTo(report.checkpoints().latest);
      assertThat(report.consecutiveFailures()).isZero();
      assertThat(report.finished()).as("still running").isFalse();

      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                assertThat(metric(worker, "statejob_records_processed_total")).isPositive();
                assertThat(metric(worker, "statejob_records_read_total")).isPositive();
                // records of the other worker's keys cross over TCP
                assertThat(metric(worker, "statejob_exchange_records_sent_total")).isPositive();
                assertThat(metric(worker, "statejob_exchange_records_received_total")).isPositive();
                assertThat(metric(worker, "statejob_exchange_sent_bytes_total")).isPositive();
              });
      String coordinatorMetrics = body(get(cluster.coordinatorUrl() + "/metrics"));
      assertThat(coordinatorMetrics)
          .contains("statejob_checkpoints_completed_total")
          .contains("statejob_checkpoint_duration_seconds_count")
          .contains("statejob_checkpoint_alignment_seconds_count")
          .contains("statejob_state_size_bytes");
      assertThat(metric(cluster.coordinatorUrl(), "statejob_checkpoints_completed_total"))
          .isGreaterThanOrEqualTo(2);
      // every series names its job and role; the histogram, the checkpoint age and the JVM's
      assertThat(coordinatorMetrics)
          .contains("statejob_checkpoint_duration_seconds_bucket{")
          .contains("statejob_checkpoints_in_progress{")
          .contains("statejob_checkpoint_in_progress_age_seconds{")
          .contains("jvm_memory_used_bytes{")
          .contains("process_cpu_usage{");
      assertThat(coordinatorMetrics.lines().filter(l -> l.startsWith("statejob_")))
          .allSatisfy(l -> assertThat(l).contains("job=\"test-job\"", "role=\"coordinator\""));
      assertThat(metric(cluster.coordinatorUrl(), "statejob_checkpoint_last_completed_age_seconds"))
          .isBetween(0.0, 30.0);
      assertThat(body(get(worker + "/metrics")))
          .contains("role=\"worker\"")
          .contains("subtask=\"1\"")
          // a generated source knows no backlog: NaN, not a misleading 0
          .containsPattern("(?m)^statejob_source_pending_records\\{.*\\} NaN$");
      // each series the chart's Grafana dashboard queries is served
      String served = coordinatorMetrics + body(get(worker + "/metrics"));
      java.util.regex.Matcher queried =
          java.util.regex.Pattern.compile("\\b(statejob|jvm)_[a-z_]+")
              .matcher(
                  java.nio.file.Files.readString(
                      Path.of("..", "helm", "statejob-operator", "dashboards", "statejob.json")));
      java.util.Set<String> names = new java.util.TreeSet<>();
      while (queried.find()) {
        names.add(queried.group());
      }
      assertThat(names).hasSizeGreaterThan(8);
      assertThat(names)
          .allSatisfy(name -> assertThat(served).as(name).containsPattern("(?m)^" + name + "[{ ]"));

      CompletedCheckpoint last = cluster.coordinator().result().get(2, TimeUnit.MINUTES);
      CheckpointsReport atEnd = report(cluster);
      assertThat(atEnd.finished()).as("the operator shows phase Finished from this").isTrue();
      assertThat(atEnd.checkpoints().latest.id).isEqualTo(last.id());
    }
  }

  @Test
  void aSavepointIsTakenOnceForEachRequestIdAndReportedUntilAskedAgain() throws Exception {
    RuntimeConfig config = config("rocksdb", 2);
    try (PodCluster cluster = new PodCluster(countJob(5_000), config, localDirs, listener)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> completedCheckpoints(cluster) >= 1);
      // RocksDB's native memory, which the container limit must cover, on each worker
      String worker = "http://127.0.0.1:" + cluster.worker(0).port();
      assertThat(metric(worker, "statejob_rocksdb_block_cache_usage_bytes")).isPositive();
      assertThat(body(get(worker + "/metrics")))
          .contains(
              "statejob_rocksdb_memtables_size_bytes{",
              "statejob_rocksdb_compaction_pending_bytes{",
              "statejob_rocksdb_compactions_running{",
              "statejob_rocksdb_sst_files_size_bytes{");
      String savepoints = cluster.coordinatorUrl() + "/savepoints";
      HttpResponse<byte[]> accepted =
          HTTP.postJson(savepoints, new SnapshotRequest("nonce-1", false));
      assertThat(accepted.statusCode()).isEqualTo(202);
      assertThat(savepointReport(accepted).requestId()).isEqualTo("nonce-1");

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  savepointReport(get(savepoints + "/nonce-1")).state()
                      == SnapshotReport.State.COMPLETED);
      CheckpointInfo savepoint = savepointReport(get(savepoints + "/nonce-1")).snapshot();
      // the checkpoint report lists the requests too: the operator reads them from there
      assertThat(report(cluster).savepointRequest("nonce-1"))
          .hasValueSatisfying(r -> assertThat(r.snapshot().id).isEqualTo(savepoint.id));
      assertThat(savepoint.type).isEqualTo("savepoint");
      assertThat(savepoint.path).endsWith("/test-job/savepoints/sp-" + savepoint.id);

      SnapshotReport again =
          savepointReport(HTTP.postJson(savepoints, new SnapshotRequest("nonce-1", true)));
      assertThat(again.state()).isEqualTo(SnapshotReport.State.COMPLETED);
      assertThat(again.snapshot().id).isEqualTo(savepoint.id);
      assertThat(metric(cluster.coordinatorUrl(), "statejob_savepoints_completed_total"))
          .isEqualTo(1);
      assertThat(get(savepoints + "/nonce-2").statusCode()).isEqualTo(404);

      // a checkpoint on request: the next one to start, reported like a savepoint
      String checkpoints = cluster.coordinatorUrl() + "/checkpoints";
      HTTP.postJson(checkpoints, new SnapshotRequest("checkpoint-nonce-1", false));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  savepointReport(get(checkpoints + "/checkpoint-nonce-1")).state()
                      == SnapshotReport.State.COMPLETED);
      CheckpointInfo checkpoint =
          savepointReport(get(checkpoints + "/checkpoint-nonce-1")).snapshot();
      assertThat(report(cluster).checkpointRequest("checkpoint-nonce-1"))
          .hasValueSatisfying(r -> assertThat(r.snapshot().id).isEqualTo(checkpoint.id));
      assertThat(report(cluster).savepointRequest("checkpoint-nonce-1")).isEmpty();
      assertThat(checkpoint.type).isIn("checkpoint", "incremental");
      assertThat(checkpoint.id).isGreaterThan(savepoint.id);
      assertThat(checkpoint.path).endsWith("/test-job/chk-" + checkpoint.id);

      // disposal: the coordinator deletes a savepoint of its job, and nothing else
      assertThat(dispose(savepoints, checkpoint.path)).isEqualTo(409);
      assertThat(Path.of(java.net.URI.create(savepoint.path))).exists();
      assertThat(dispose(savepoints, savepoint.path)).isEqualTo(200);
      assertThat(Path.of(java.net.URI.create(savepoint.path))).doesNotExist();

      // a disposal interrupted once the _metadata went: trying again deletes the rest
      HTTP.postJson(savepoints, new SnapshotRequest("nonce-2", false));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  savepointReport(get(savepoints + "/nonce-2")).state()
                      == SnapshotReport.State.COMPLETED);
      String halfPath = savepointReport(get(savepoints + "/nonce-2")).snapshot().path;
      Path halfDisposed = Path.of(java.net.URI.create(halfPath));
      java.nio.file.Files.delete(halfDisposed.resolve("_metadata"));
      assertThat(dispose(savepoints, halfPath)).isEqualTo(200);
      assertThat(halfDisposed).doesNotExist();
      JobRuns.assertExactCounts(finalState(cluster, config), "count-and-sum", EVENTS);
    }
  }

  @Test
  void requestsThatChangeTheJobNeedTheTokenOfTheTokenFileAsItIsNow() throws Exception {
    Path tokenFile = localDirs.resolve("token");
    java.nio.file.Files.writeString(tokenFile, "first-token\n");
    RuntimeConfig config =
        config("memory", 1).with(RuntimeOptions.REST_TOKEN_FILE, tokenFile.toString());
    try (PodCluster cluster = new PodCluster(countJob(5_000), config, localDirs, listener)) {
      String url = cluster.coordinatorUrl();
      assertThat(send(url + "/savepoints", "POST", null).statusCode()).isEqualTo(401);
      assertThat(send(url + "/checkpoints", "POST", "Bearer wrong").statusCode()).isEqualTo(401);
      assertThat(send(url + "/job/resume", "POST", "first-token").statusCode()).isEqualTo(401);
      assertThat(send(url + "/savepoints?path=x", "DELETE", null).statusCode()).isEqualTo(401);
      // reading the job is open: probes, metrics and the operator's polling
      assertThat(get(url + "/checkpoints").statusCode()).isEqualTo(200);
      assertThat(get(url + "/metrics").statusCode()).isEqualTo(200);
      assertThat(send(url + "/checkpoints", "POST", "Bearer first-token").statusCode())
          .isEqualTo(202);

      // the Secret was changed: the file's new content is the token from the next request on
      java.nio.file.Files.writeString(tokenFile, "second-token");
      assertThat(send(url + "/savepoints", "POST", "Bearer first-token").statusCode())
          .isEqualTo(401);
      assertThat(send(url + "/savepoints", "POST", "Bearer second-token").statusCode())
          .isEqualTo(202);
      // a file that went refuses everything rather than nothing
      java.nio.file.Files.delete(tokenFile);
      assertThat(send(url + "/savepoints", "POST", "Bearer second-token").statusCode())
          .isEqualTo(503);
    }
  }

  /** A request with an empty body and, when not null, that {@code Authorization} header. */
  private static HttpResponse<String> send(String url, String method, String authorization)
      throws Exception {
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(URI.create(url))
            .method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return java.net.http.HttpClient.newHttpClient()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aWorkerIsToldWhenItsAttemptIsNotTheRunningOne() throws Exception {
    RuntimeConfig config = config("memory", 1);
    try (PodCluster cluster = new PodCluster(countJob(5_000), config, localDirs, listener)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> cluster.worker(0).isRunning());
      HttpResponse<byte[]> stale =
          HTTP.post(
              cluster.coordinatorUrl() + "/attempts/7/checkpoints/1/ack?subtask=0", new byte[1]);
      assertThat(stale.statusCode()).isEqualTo(409);
      assertThat(body(stale)).contains("attempt 7 is not running");
      HttpResponse<byte[]> unknown =
          HTTP.postJson(
              cluster.coordinatorUrl() + "/workers/0/heartbeat",
              new ClusterMessages.Heartbeat(0, "someone-else", WorkerCounters.NONE));
      assertThat(unknown.statusCode()).isEqualTo(404);
    }
  }

  private static long completedCheckpoints(PodCluster cluster) throws Exception {
    Long completed = report(cluster).checkpoints().completed;
    return completed == null ? 0 : completed;
  }

  private static CheckpointsReport report(PodCluster cluster) throws Exception {
    return HttpEndpoints.JSON.readValue(
        get(cluster.coordinatorUrl() + "/checkpoints").body(), CheckpointsReport.class);
  }

  /** {@code DELETE /savepoints?path=}: the status code. */
  private static int dispose(String savepoints, String path) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        savepoints
                            + "?path="
                            + java.net.URLEncoder.encode(
                                path, java.nio.charset.StandardCharsets.UTF_8)))
                .DELETE()
                .build(),
            java.net.http.HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static SnapshotReport savepointReport(HttpResponse<byte[]> response) throws Exception {
    return HttpEndpoints.JSON.readValue(response.body(), SnapshotReport.class);
  }

  private static double metric(String url, String name) throws Exception {
    return body(get(url + "/metrics"))
        .lines()
        .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static HttpResponse<byte[]> get(String url) throws Exception {
    return HTTP.get(url);
  }

  private static String body(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
