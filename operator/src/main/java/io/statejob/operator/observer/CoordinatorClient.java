package io.statejob.operator.observer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statejob.api.protocol.CheckpointsReport;
import io.statejob.api.protocol.SnapshotReport;
import io.statejob.api.protocol.SnapshotRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a coordinator's {@code /checkpoints} and asks it for savepoints; empty when the coordinator
 * does not answer.
 */
public final class CoordinatorClient {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorClient.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  public Optional<CheckpointsReport> checkpoints(String coordinatorUrl) {
    return call(
        HttpRequest.newBuilder(URI.create(coordinatorUrl + "/checkpoints")).GET(),
        CheckpointsReport.class);
  }

  /**
   * Asks for the snapshot of {@code request}, or reports on it when already asked for.
   *
   * @param path {@code /savepoints} or {@code /checkpoints}
   */
  public Optional<SnapshotReport> snapshot(
      CoordinatorApi coordinator, String path, SnapshotRequest request) {
    try {
      return call(
          authorized(coordinator, path)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))),
          SnapshotReport.class);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Asks the coordinator to delete savepoint {@code path} of its job.
   *
   * @return why it could not, when it could not
   */
  public Optional<String> disposeSavepoint(CoordinatorApi coordinator, String path) {
    return command(
        authorized(
                coordinator,
                "/savepoints?path="
                    + java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8))
            .DELETE());
  }

  /**
   * Asks the coordinator to start its job, stopped with a savepoint, again from that savepoint.
   *
   * @return why it could not, when it could not
   */
  public Optional<String> resume(CoordinatorApi coordinator) {
    return command(
        authorized(coordinator, "/job/resume").POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** A request to {@code path} that carries the job's API token. */
  private static HttpRequest.Builder authorized(CoordinatorApi coordinator, String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(coordinator.url() + path));
    coordinator.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
    return request;
  }

  /** Sends a request whose answer is its status only; empty when it succeeded, else why not. */
  private Optional<String> command(HttpRequest.Builder builder) {
    HttpRequest request = builder.timeout(TIMEOUT).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() / 100 == 2
          ? Optional.empty()
          : Optional.of(response.statusCode() + " " + response.body());
    } catch (IOException e) {
      return Optional.of("the coordinator does not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  private <T> Optional<T> call(HttpRequest.Builder builder, Class<T> answer) {
    HttpRequest request = builder.timeout(TIMEOUT).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        LOG.atDebug()
            .addKeyValue("url", request.uri())
            .addKeyValue("status", response.statusCode())
            .log("coordinator refused the request");
        return Optional.empty();
      }
      return Optional.of(JSON.readValue(response.body(), answer));
    } catch (IOException e) {
      LOG.atDebug()
          .addKeyValue("url", request.uri())
          .addKeyValue("error", e.toString())
          .log("coordinator unreachable");
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
