package io.statejob.runtime.storage;

import io.statejob.runtime.snapshot.CheckpointMetadata;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.SubtaskState;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where a job's checkpoints go: worker snapshot streams, the coordinator's {@code _metadata}, and
 * the scan that finds completed checkpoints after a restart.
 */
public interface CheckpointStorage extends Closeable {
  /** Creates the storage of one job. */
  @FunctionalInterface
  interface Factory {
    CheckpointStorage create(String jobId) throws IOException;
  }

  /** Human-readable location, e.g. {@code file:///ckpt/my-job}. */
  String location();

  /**
   * The storage of snapshots of {@code type}: this one for checkpoints; for savepoints a view that
   * keeps them apart, under {@code <job>/savepoints/}.
   *
   * @throws UnsupportedOperationException when this storage cannot keep savepoints
   */
  default CheckpointStorage forType(SnapshotType type) {
    if (type.isSavepoint()) {
      throw new UnsupportedOperationException(location() + " cannot hold savepoints");
    }
    return this;
  }

  /** A stream for one worker's snapshot of checkpoint {@code checkpointId}. */
  CheckpointOutputStream createStream(long checkpointId, int subtask) throws IOException;

  /**
   * A stream for a file shared by incremental checkpoints, under {@code <job>/shared/}, named so
   * that the checkpoint that uploaded it can be told from the name.
   */
  default CheckpointOutputStream createSharedStream(long checkpointId, String name)
      throws IOException {
    throw new UnsupportedOperationException(
        location() + " cannot hold shared files; incremental checkpoints need a checkpoint URI");
  }

  /**
   * Deletes shared files uploaded by checkpoints up to {@code upToCheckpointId} that none of {@code
   * referenced} (paths) needs: those of subsumed and aborted checkpoints.
   */
  default void collectGarbage(java.util.Set<String> referenced, long upToCheckpointId)
      throws IOException {}

  /**
   * Deletes shared files of another job that this job's checkpoints referenced and no longer do: it
   * claimed them when it restored that job's snapshot ({@code execution.savepoint-restore-mode:
   * claim}). Its own shared files are {@link #collectGarbage}'s.
   */
  default void deleteClaimed(java.util.Set<String> unreferenced) throws IOException {}

  /** Where snapshot {@code id} of this storage's type is, as a completed snapshot's path. */
  default String snapshotPath(long id) {
    throw new UnsupportedOperationException(location() + " keeps no snapshot files");
  }

  /** A message for a failed storage operation: where, and the underlying cause. */
  default String describeFailure(Exception failure) {
    return location() + ": " + rootCause(failure);
  }

  /** The innermost cause's message: what actually went wrong, without the wrappers. */
  static String rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() == null ? "" : cause.getMessage();
    return cause.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }

  /** Why this storage cannot take {@code ack} (a size limit), if it cannot. */
  default Optional<String> checkAck(SubtaskState ack) {
    return Optional.empty();
  }

  /**
   * Makes this process the only one that completes the job's checkpoints from now on: one that did
   * so before fails its next {@link #persist} with {@link CoordinatorFence.FencedException}.
   *
   * @return the epoch taken; 0 when the storage is this process's own (coordinator memory)
   */
  default long fenceOthers() throws IOException {
    return 0;
  }

  /**
   * Makes a checkpoint complete: writes its metadata atomically, last.
   *
   * @throws CoordinatorFence.FencedException when another coordinator fenced this one off
   */
  CompletedCheckpoint persist(CheckpointMetadata metadata) throws IOException;

  /** Deletes everything of checkpoint {@code checkpointId}. */
  void discard(long checkpointId) throws IOException;

  /** What a restarted coordinator finds in storage. */
  RecoveredCheckpoints recover() throws IOException;

  /**
   * The result of scanning storage.
   *
   * @param completed valid completed checkpoints, oldest first
   * @param incomplete ids of checkpoint directories without metadata (aborted or crashed)
   * @param highestId the highest checkpoint id seen in any form, 0 when none
   */
  record RecoveredCheckpoints(
      List<CompletedCheckpoint> completed, List<Long> incomplete, long highestId) {
    public static RecoveredCheckpoints none() {
      return new RecoveredCheckpoints(List.of(), List.of(), 0);
    }
  }
}
