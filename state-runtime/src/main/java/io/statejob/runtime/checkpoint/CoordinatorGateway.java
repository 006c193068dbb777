package io.statejob.runtime.checkpoint;

/**
 * What a worker tells the coordinator. In local mode a direct call; in pod mode an HTTP request.
 */
public interface CoordinatorGateway {
  /** The worker's snapshot of {@code checkpointId}, encoded as it travels on the wire. */
  void acknowledgeCheckpoint(int subtask, long checkpointId, byte[] ack);

  void declineCheckpoint(int subtask, long checkpointId, String reason);

  /** The worker's bounded source ended; it keeps taking checkpoints until stopped. */
  void reportFinished(int subtask);

  /** The worker failed; the job restarts all workers from the latest checkpoint. */
  void reportFailure(int subtask, Throwable cause);
}
