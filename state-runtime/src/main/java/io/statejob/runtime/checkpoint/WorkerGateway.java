package io.statejob.runtime.checkpoint;

import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.StopMode;

/**
 * What the coordinator asks of a worker: the worker side of the checkpoint protocol. In local mode
 * a direct call onto the worker's mailbox; in pod mode an HTTP request.
 */
public interface WorkerGateway {
  /**
   * Take snapshot {@code checkpointId} of {@code type} between two records and acknowledge it; with
   * {@code stop}, process nothing after it.
   */
  void triggerCheckpoint(long checkpointId, SnapshotType type, StopMode stop);

  /** Checkpoint {@code checkpointId} is complete: side effects waiting for it may commit. */
  void notifyCheckpointComplete(long checkpointId);
}
