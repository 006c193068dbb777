package io.statejob.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statejob.runtime.testing.CliProcesses;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pod processes as the operator starts them, with jobs that cannot run: a failure no restart cures
 * keeps the process up (no crash loop), and the coordinator reports it where the operator reads.
 */
class PodFailureReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path temp;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws Exception {
    for (Process process : processes) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process start(String name, String... args) throws Exception {
    Process process =
        CliProcesses.start(temp, temp.resolve(name + ".log"), Map.of(), List.of(args));
    processes.add(process);
    return process;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The failure the coordinator on {@code port} reports, once it reports one. */
  private JsonNode awaitFailure(int port) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> JSON.readTree(get(port, "/checkpoints").body()).get("failure"),
            node -> node != null && !node.isNull());
  }

  private Path manifest(String className) throws Exception {
    return Files.writeString(
        temp.resolve("job.yaml"),
        """
        apiVersion: statejob.io/v1alpha1
        kind: StateJob
        metadata:
          name: wiped
        spec:
          job:
            className: %s
          parallelism: 1
          stateBackend:
            type: filesystem
          checkpoints:
            uri: %s
        """
            .formatted(className, temp.resolve("empty-volume").toUri()));
  }

  @Test
  void aMissingProgramKeepsCoordinatorAndWorkerUpAndIsReported() throws Exception {
    Path manifest = manifest("com.example.Missing");
    int coordinatorPort = freePort();
    int workerPort = freePort();
    Process coordinator =
        start(
            "coordinator",
            "coordinator",
            manifest.toString(),
            "-D",
            "rest.port=" + coordinatorPort);
    Process worker =
        start(
            "worker",
            "worker",
            manifest.toString(),
            "--subtask",
            "0",
            "--coordinator",
            "http://127.0.0.1:" + coordinatorPort,
            "-D",
            "rest.port=" + workerPort);

    JsonNode failure = awaitFailure(coordinatorPort);
    assertThat(failure.get("reason").asText()).isEqualTo("ProgramNotFound");
    assertThat(failure.get("message").asText()).contains("class com.example.Missing not found");
    HttpResponse<String> workerReady =
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(() -> get(workerPort, "/readyz"), response -> response != null);
    assertThat(workerReady.statusCode()).isEqualTo(503);
    assertThat(workerReady.body()).contains("com.example.Missing");
    assertThat(get(workerPort, "/healthz").statusCode()).isEqualTo(200);
    assertThat(coordinator.isAlive()).isTrue();
    assertThat(worker.isAlive()).isTrue();
  }

  @Test
  void aMissingRestorePointIsReportedOnCheckpointsAndThePodDoesNotCrashLoop() throws Exception {
    Path manifest = manifest("io.statejob.examples.KeyedCountJob");
    Path restorePoint = temp.resolve("restore-point.yaml");
    Files.writeString(
        restorePoint,
        """
        execution.restore.expected-checkpoint-id: "42"
        execution.restore.expected-checkpoint-path: "s3a://old-bucket/wiped/chk-42"
        """);
    int port = freePort();
    Process coordinator =
        start(
            "coordinator",
            "coordinator",
            manifest.toString(),
            "--restore-point",
            restorePoint.toString(),
            "-D",
            "rest.port=" + port);

    JsonNode failure = awaitFailure(port);
    assertThat(failure.get("reason").asText()).isEqualTo("RestorePointMissing");
    assertThat(failure.get("message").asText())
        .contains("latest checkpoint is 42 (s3a://old-bucket/wiped/chk-42)")
        .contains("spec.restore.allowEmptyState");
    Thread.sleep(1_000);
    assertThat(coordinator.isAlive()).as("still up to report it, not restarting").isTrue();
    assertThat(Files.readString(temp.resolve("coordinator.log")))
        .contains("error: the job's latest checkpoint is 42");
  }
}
