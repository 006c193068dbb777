package io.statejob.runtime.execution;

import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a job run told its listener, for tests to assert on. */
public final class RecordingListener implements JobListener {
  /** What each attempt restored from: a checkpoint id, 0 for empty state. */
  public final List<Long> restores = new CopyOnWriteArrayList<>();

  /** Why each restart happened. */
  public final List<String> restarts = new CopyOnWriteArrayList<>();

  /** Ids of the checkpoints completed, in order. */
  public final List<Long> completed = new CopyOnWriteArrayList<>();

  /** Why each failed checkpoint failed. */
  public final List<String> failedCheckpoints = new CopyOnWriteArrayList<>();

  @Override
  public void started(Optional<CompletedCheckpoint> restoredFrom, int attempt) {
    restores.add(restoredFrom.map(CompletedCheckpoint::id).orElse(0L));
  }

  @Override
  public void restarting(int attempt, Throwable cause) {
    restarts.add(cause.getMessage());
  }

  @Override
  public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
    completed.add(checkpoint.id());
  }

  @Override
  public void checkpointFailed(long checkpointId, String reason) {
    failedCheckpoints.add(reason);
  }
}
