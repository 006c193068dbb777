package io.statejob.api.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.statejob.api.model.CheckpointInfo;
import io.statejob.api.model.CheckpointsStatus;
import java.util.List;
import java.util.Optional;

/**
 * What a coordinator answers on {@code GET /checkpoints}: the checkpoint part of a StateJob's
 * status, as the operator mirrors it, the run of failures that decides whether checkpoints are
 * healthy, and whether the job has finished or failed for good.
 *
 * @param consecutiveFailures checkpoints failed since the last completed one
 * @param finished the job's bounded sources ended and its final checkpoint completed (false from a
 *     coordinator that predates the field)
 * @param failure why the job stopped for good, or null while it has not
 * @param coordinatorStartedAt when the coordinator process started (RFC 3339): its counts of
 *     completed and failed checkpoints begin there, and a new value means a new coordinator
 * @param stoppedWith the savepoint the job stopped with (a stop-with-savepoint request): nothing
 *     runs until its pods are replaced or the job is resumed ({@code POST /job/resume}); null while
 *     the job runs
 * @param savepointRequests the savepoint requests the coordinator remembers ({@code POST
 *     /savepoints}), each as {@code GET /savepoints/<requestId>} reports it; null from a
 *     coordinator that predates the field
 * @param checkpointRequests the same for checkpoints on request ({@code POST /checkpoints})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckpointsReport(
    CheckpointsStatus checkpoints,
    int consecutiveFailures,
    boolean finished,
    JobFailure failure,
    String coordinatorStartedAt,
    CheckpointInfo stoppedWith,
    List<SnapshotReport> savepointRequests,
    List<SnapshotReport> checkpointRequests) {

  /** This report with the coordinator's snapshot requests. */
  public CheckpointsReport withRequests(
      List<SnapshotReport> savepoints, List<SnapshotReport> checkpoints) {
    return new CheckpointsReport(
        this.checkpoints,
        consecutiveFailures,
        finished,
        failure,
        coordinatorStartedAt,
        stoppedWith,
        savepoints,
        checkpoints);
  }

  /** How the savepoint request {@code requestId} stands, when the coordinator knows it. */
  public Optional<SnapshotReport> savepointRequest(String requestId) {
    return find(savepointRequests, requestId);
  }

  /** How the checkpoint request {@code requestId} stands, when the coordinator knows it. */
  public Optional<SnapshotReport> checkpointRequest(String requestId) {
    return find(checkpointRequests, requestId);
  }

  private static Optional<SnapshotReport> find(List<SnapshotReport> requests, String requestId) {
    return requests == null
        ? Optional.empty()
        : requests.stream().filter(r -> requestId.equals(r.requestId())).findFirst();
  }
}
