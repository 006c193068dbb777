package io.statejob.runtime.cluster;

import io.statejob.runtime.checkpoint.WorkerGateway;
import io.statejob.runtime.server.HttpCalls;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.StopMode;
import java.io.IOException;
import java.util.Locale;

/**
 * The coordinator's line to one worker process of one attempt. Requests go out without blocking the
 * checkpoint coordinator's thread; a worker that cannot be reached, or no longer runs the attempt,
 * fails the attempt.
 */
final class HttpWorkerGateway implements WorkerGateway {
  /** Fails the attempt the gateway belongs to. */
  @FunctionalInterface
  interface FailureReporter {
    void workerFailed(Throwable cause);
  }

  private final HttpCalls http;
  private final String attemptUrl;
  private final FailureReporter failures;

  HttpWorkerGateway(HttpCalls http, String workerUrl, int attempt, FailureReporter failures) {
    this.http = http;
    this.attemptUrl = workerUrl + "/attempts/" + attempt;
    this.failures = failures;
  }

  @Override
  public void triggerCheckpoint(long checkpointId, SnapshotType type, StopMode stop) {
    send(
        "/checkpoints/"
            + checkpointId
            + "/trigger?type="
            + type.name().toLowerCase(Locale.ROOT)
            + "&stop="
            + stop.name().toLowerCase(Locale.ROOT));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    send("/checkpoints/" + checkpointId + "/complete");
  }

  private void send(String path) {
    String url = attemptUrl + path;
    http.postAsync(url, new byte[0])
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                failures.workerFailed(new IOException("cannot reach worker at " + url, error));
              } else if (!HttpCalls.succeeded(response)) {
                failures.workerFailed(
                    new IOException(
                        "worker refused "
                            + url
                            + ": "
                            + response.statusCode()
                            + " "
                            + new String(
                                response.body(), java.nio.charset.StandardCharsets.UTF_8)));
              }
            });
  }
}
