package io.statejob.runtime.snapshot;

import java.util.List;

/**
 * Everything a restore needs: stored as {@code chk-<n>/_metadata}, whose presence marks the
 * checkpoint complete.
 *
 * @param jobId the job's stable id
 * @param checkpointId the checkpoint number
 * @param triggeredAt trigger time, epoch millis
 * @param completedAt completion time, epoch millis
 * @param backend the state backend's name
 * @param maxParallelism number of key groups
 * @param subtasks every worker's acknowledgement, by subtask index
 * @param finalCheckpoint taken after every bounded source ended
 * @param type checkpoint or savepoint; checkpoints written before savepoints existed have none
 */
public record CheckpointMetadata(
    String jobId,
    long checkpointId,
    long triggeredAt,
    long completedAt,
    String backend,
    int maxParallelism,
    List<SubtaskState> subtasks,
    boolean finalCheckpoint,
    SnapshotType type) {

  public CheckpointMetadata {
    type = type == null ? SnapshotType.CHECKPOINT : type;
  }

  public int parallelism() {
    return subtasks.size();
  }

  public long stateSize() {
    return subtasks.stream().mapToLong(SubtaskState::stateSize).sum();
  }

  public long uploadedSize() {
    return subtasks.stream().mapToLong(SubtaskState::uploadedSize).sum();
  }

  public boolean isIncremental() {
    return subtasks.stream().anyMatch(s -> s.incremental().isPresent());
  }
}
