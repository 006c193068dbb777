package io.statejob.runtime.cluster;

import io.statejob.api.model.CheckpointInfo;
import io.statejob.api.model.CheckpointsStatus;
import io.statejob.api.protocol.CheckpointsReport;
import io.statejob.api.protocol.JobFailure;
import io.statejob.runtime.execution.JobFailedException;
import io.statejob.runtime.execution.JobListener;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Optional;

/**
 * The coordinator's account of its checkpoints, served on {@code GET /checkpoints} for the operator
 * to mirror into the StateJob's status.
 */
public final class CheckpointHistory implements JobListener {
  private final int length;
  private final String startedAt = Instant.now().toString();
  private final Deque<CheckpointInfo> recent = new ArrayDeque<>();
  private long completed;
  private long failed;
  private int consecutiveFailures;
  private CheckpointsStatus.RestoredFrom restoredFrom;
  private boolean finished;
  private JobFailure failure;
  private CheckpointInfo stoppedWith;

  /**
   * @param length how many recent checkpoints the report lists
   */
  public CheckpointHistory(int length) {
    this.length = length;
  }

  public synchronized CheckpointsReport report() {
    CheckpointsStatus status = new CheckpointsStatus();
    status.latest = recent.peekLast();
    status.history = new ArrayList<>(recent);
    status.completed = completed;
    status.failed = failed;
    status.restoredFrom = restoredFrom;
    // the coordinator adds its snapshot requests
    return new CheckpointsReport(
        status, consecutiveFailures, finished, failure, startedAt, stoppedWith, null, null);
  }

  @Override
  public synchronized void finished(CompletedCheckpoint finalCheckpoint) {
    finished = true;
  }

  /** A job that stopped for good reports why; one a restart may cure does not. */
  @Override
  public synchronized void failed(Throwable cause) {
    if (cause instanceof JobFailedException failed && !failed.reason().retriable()) {
      failure = new JobFailure(failed.reason().name(), failed.getMessage());
    }
  }

  @Override
  public synchronized void stopped(CompletedCheckpoint savepoint) {
    stoppedWith = info(savepoint);
  }

  @Override
  public synchronized void started(Optional<CompletedCheckpoint> restore, int attempt) {
    stoppedWith = null;
    if (recent.isEmpty()) {
      // a restarted coordinator: the checkpoint it restores is the latest there is
      restore.ifPresent(checkpoint -> recent.add(info(checkpoint)));
    }
    restoredFrom =
        restore
            .map(
                checkpoint -> {
                  CheckpointsStatus.RestoredFrom from = new CheckpointsStatus.RestoredFrom();
                  from.id = checkpoint.id();
                  from.path = checkpoint.path();
                  from.at = Instant.now().toString();
                  return from;
                })
            .orElse(null);
  }

  @Override
  public synchronized void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
    completed++;
    consecutiveFailures = 0;
    recent.addLast(info(checkpoint));
    while (recent.size() > length) {
      recent.removeFirst();
    }
  }

  @Override
  public synchronized void checkpointFailed(long checkpointId, String reason) {
    failed++;
    consecutiveFailures++;
  }

  /** How status shows a checkpoint or savepoint. */
  static CheckpointInfo info(CompletedCheckpoint checkpoint) {
    CheckpointInfo info = new CheckpointInfo();
    info.id = checkpoint.id();
    info.path = checkpoint.path();
    info.completedAt = Instant.ofEpochMilli(checkpoint.metadata().completedAt()).toString();
    info.stateSizeBytes = checkpoint.metadata().stateSize();
    info.uploadedBytes = checkpoint.metadata().uploadedSize();
    info.durationMs = checkpoint.metadata().completedAt() - checkpoint.metadata().triggeredAt();
    info.alignmentMs = checkpoint.metadata().alignmentMillis();
    info.type =
        checkpoint.metadata().type().isSavepoint()
            ? "savepoint"
            : checkpoint.metadata().isIncremental() ? "incremental" : "full";
    return info;
  }
}
