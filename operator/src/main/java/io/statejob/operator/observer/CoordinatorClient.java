package io.statejob.operator.observer;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statejob.api.protocol.CheckpointsReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a coordinator's {@code /checkpoints}; empty when the coordinator does not answer. */
public final class CoordinatorClient {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorClient.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  public Optional<CheckpointsReport> checkpoints(String coordinatorUrl) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(coordinatorUrl + "/checkpoints"))
            .timeout(TIMEOUT)
            .GET()
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        LOG.atDebug()
            .addKeyValue("url", request.uri())
            .addKeyValue("status", response.statusCode())
            .log("coordinator did not report checkpoints");
        return Optional.empty();
      }
      return Optional.of(JSON.readValue(response.body(), CheckpointsReport.class));
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
