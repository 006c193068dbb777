package io.statejob.runtime.cluster;

import io.statejob.runtime.checkpoint.CoordinatorGateway;
import io.statejob.runtime.cluster.ClusterMessages.FailureReport;
import io.statejob.runtime.server.HttpCalls;
import io.statejob.runtime.snapshot.DamagedSnapshotException;
import io.statejob.runtime.snapshot.SnapshotFailures;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's line to the coordinator for one attempt. A message that does not arrive is logged: a
 * lost acknowledgement times its checkpoint out, and a lost failure report is made good by {@code
 * onLostFailureReport}, which makes the worker look restarted to the coordinator.
 */
final class HttpCoordinatorGateway implements CoordinatorGateway {
  private static final Logger LOG = LoggerFactory.getLogger(HttpCoordinatorGateway.class);

  private final HttpCalls http;
  private final String attemptUrl;
  private final Runnable onLostFailureReport;

  HttpCoordinatorGateway(
      HttpCalls http, String coordinatorUrl, int attempt, Runnable onLostFailureReport) {
    this.http = http;
    this.attemptUrl = coordinatorUrl + "/attempts/" + attempt;
    this.onLostFailureReport = onLostFailureReport;
  }

  @Override
  public void acknowledgeCheckpoint(int subtask, long checkpointId, byte[] ack) {
    send("/checkpoints/" + checkpointId + "/ack?subtask=" + subtask, ack);
  }

  @Override
  public void declineCheckpoint(int subtask, long checkpointId, String reason) {
    send(
        "/checkpoints/" + checkpointId + "/decline?subtask=" + subtask,
        reason.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void reportFinished(int subtask) {
    send("/workers/" + subtask + "/finished", new byte[0]);
  }

  /**
   * Reports the failure; when the report is lost, the worker registers again so that the
   * coordinator restarts the job all the same. A refusal because the attempt is no longer running
   * loses nothing: the coordinator has ended it already (a peer's failure often ends it first). The
   * report is sent off the task's thread: ending the attempt interrupts that thread, which must not
   * make a report that arrived look lost.
   */
  @Override
  public void reportFailure(int subtask, Throwable cause) {
    LOG.atWarn().addKeyValue("subtask", subtask).setCause(cause).log("worker failed");
    String path = "/workers/" + subtask + "/failed";
    Optional<DamagedSnapshotException> damage =
        SnapshotFailures.find(cause, DamagedSnapshotException.class);
    FailureReport report =
        new FailureReport(
            cause.toString(),
            damage.map(DamagedSnapshotException::file).orElse(null),
            damage.map(DamagedSnapshotException::problem).orElse(null),
            SnapshotFailures.incompatibility(cause).isPresent());
    http.postJsonAsync(attemptUrl + path, report)
        .whenComplete(
            (response, error) -> {
              int status = error == null ? response.statusCode() : -1;
              if (status / 100 != 2 && status != HttpURLConnection.HTTP_CONFLICT) {
                LOG.atWarn()
                    .addKeyValue("status", status)
                    .addKeyValue("error", String.valueOf(error))
                    .log("the failure report was lost; registering anew");
                onLostFailureReport.run();
              }
            });
  }

  /** Posts to the attempt; a message that does not arrive is logged. */
  private void send(String path, byte[] body) {
    try {
      HttpResponse<byte[]> response = http.post(attemptUrl + path, body);
      if (HttpCalls.succeeded(response)) {
        return;
      }
      LOG.atWarn()
          .addKeyValue("path", path)
          .addKeyValue("status", response.statusCode())
          .addKeyValue("reason", new String(response.body(), StandardCharsets.UTF_8))
          .log("coordinator refused a message");
    } catch (IOException e) {
      LOG.atWarn()
          .addKeyValue("path", path)
          .addKeyValue("error", e.toString())
          .log("cannot reach the coordinator");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
