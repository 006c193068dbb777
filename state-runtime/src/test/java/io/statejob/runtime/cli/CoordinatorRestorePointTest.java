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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator as the operator starts it: the restore point the operator mounts is checked
 * before anything runs, and a failure no restart cures keeps the process up to report it.
 */
class CoordinatorRestorePointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path temp;
  private Process coordinator;

  @AfterEach
  void stop() throws Exception {
    if (coordinator != null) {
      coordinator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aMissingRestorePointIsReportedOnCheckpointsAndThePodDoesNotCrashLoop() throws Exception {
    Path manifest = temp.resolve("job.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: statejob.io/v1alpha1
        kind: StateJob
        metadata:
          name: wiped
        spec:
          job:
            className: io.statejob.examples.KeyedCountJob
          parallelism: 1
          stateBackend:
            type: filesystem
          checkpoints:
            uri: %s
        """
            .formatted(temp.resolve("empty-volume").toUri()));
    Path restorePoint = temp.resolve("restore-point.yaml");
    Files.writeString(
        restorePoint,
        """
        execution.restore.expected-checkpoint-id: "42"
        execution.restore.expected-checkpoint-path: "s3a://old-bucket/wiped/chk-42"
        """);
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = temp.resolve("coordinator.log");
    coordinator =
        CliProcesses.start(
            temp,
            log,
            Map.of(),
            List.of(
                "coordinator",
                manifest.toString(),
                "--restore-point",
                restorePoint.toString(),
                "-D",
                "rest.port=" + port));

    HttpClient http = HttpClient.newHttpClient();
    JsonNode failure =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .ignoreExceptions()
            .until(
                () ->
                    JSON.readTree(
                            http.send(
                                    HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/checkpoints"))
                                        .build(),
                                    HttpResponse.BodyHandlers.ofString())
                                .body())
                        .get("failure"),
                node -> node != null && !node.isNull());

    assertThat(failure.get("reason").asText()).isEqualTo("RestorePointMissing");
    assertThat(failure.get("message").asText())
        .contains("latest checkpoint is 42 (s3a://old-bucket/wiped/chk-42)")
        .contains("spec.restore.allowEmptyState");
    Thread.sleep(1_000);
    assertThat(coordinator.isAlive()).as("still up to report it, not restarting").isTrue();
    assertThat(Files.readString(log)).contains("error: the job's latest checkpoint is 42");
  }
}
