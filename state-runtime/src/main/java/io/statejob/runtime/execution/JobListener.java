package io.statejob.runtime.execution;

import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.util.List;
import java.util.Optional;

/** What happens to a running job, for progress output, status and metrics. */
public interface JobListener {
  default void started(Optional<CompletedCheckpoint> restoredFrom, int attempt) {}

  default void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {}

  default void checkpointFailed(long checkpointId, String reason) {}

  default void savepointCompleted(CompletedCheckpoint savepoint, long durationMs) {}

  /** A savepoint that stops the job completed: nothing runs until the job resumes or ends. */
  default void stopped(CompletedCheckpoint savepoint) {}

  default void restarting(int attempt, Throwable cause) {}

  default void finished(CompletedCheckpoint finalCheckpoint) {}

  default void failed(Throwable cause) {}

  /** Tells every listener, in order. */
  static JobListener all(List<JobListener> listeners) {
    return new JobListener() {
      @Override
      public void started(Optional<CompletedCheckpoint> restoredFrom, int attempt) {
        listeners.forEach(l -> l.started(restoredFrom, attempt));
      }

      @Override
      public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
        listeners.forEach(l -> l.checkpointCompleted(checkpoint, durationMs));
      }

      @Override
      public void checkpointFailed(long checkpointId, String reason) {
        listeners.forEach(l -> l.checkpointFailed(checkpointId, reason));
      }

      @Override
      public void savepointCompleted(CompletedCheckpoint savepoint, long durationMs) {
        listeners.forEach(l -> l.savepointCompleted(savepoint, durationMs));
      }

      @Override
      public void stopped(CompletedCheckpoint savepoint) {
        listeners.forEach(l -> l.stopped(savepoint));
      }

      @Override
      public void restarting(int attempt, Throwable cause) {
        listeners.forEach(l -> l.restarting(attempt, cause));
      }

      @Override
      public void finished(CompletedCheckpoint finalCheckpoint) {
        listeners.forEach(l -> l.finished(finalCheckpoint));
      }

      @Override
      public void failed(Throwable cause) {
        listeners.forEach(l -> l.failed(cause));
      }
    };
  }
}
