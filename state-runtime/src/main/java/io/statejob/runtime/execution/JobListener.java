package io.statejob.runtime.execution;

import io.statejob.runtime.checkpoint.CompletedCheckpoint;
import java.util.Optional;

/** What happens to a running job, for progress output, status and metrics. */
public interface JobListener {
  default void started(Optional<CompletedCheckpoint> restoredFrom, int attempt) {}

  default void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {}

  default void checkpointFailed(long checkpointId, String reason) {}

  default void restarting(int attempt, Throwable cause) {}

  default void finished(CompletedCheckpoint finalCheckpoint) {}

  default void failed(Throwable cause) {}
}
