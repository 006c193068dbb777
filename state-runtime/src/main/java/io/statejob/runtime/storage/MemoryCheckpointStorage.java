package io.statejob.runtime.storage;

import io.statejob.api.config.ConfigValues;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.snapshot.CheckpointMetadata;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.SubtaskState;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * The memory backend's storage: snapshots travel inline in the acknowledgement and completed
 * checkpoints live in the coordinator's heap. When a checkpoint directory is configured too, the
 * completed checkpoint (state inline) is also written there, so a restarted process can restore.
 */
public final class MemoryCheckpointStorage implements CheckpointStorage {
  private final Optional<FileSystemCheckpointStorage> persistent;
  private final long maxStateSize;

  public MemoryCheckpointStorage(
      Optional<FileSystemCheckpointStorage> persistent, long maxStateSize) {
    this.persistent = persistent;
    this.maxStateSize = maxStateSize;
  }

  @Override
  public String location() {
    return persistent
        .map(p -> "coordinator memory, persisted to " + p.location())
        .orElse("coordinator memory");
  }

  /** Savepoints must outlive the coordinator, so they need the checkpoint directory. */
  @Override
  public CheckpointStorage forType(SnapshotType type) {
    if (!type.isSavepoint()) {
      return this;
    }
    return new MemoryCheckpointStorage(
        Optional.of(
            persistent
                .orElseThrow(
                    () ->
                        new UnsupportedOperationException(
                            "savepoints need a checkpoint directory ("
                                + RuntimeOptions.CHECKPOINTS_DIR.key()
                                + ", spec.checkpoints.uri): without one the memory backend keeps"
                                + " its state only in the coordinator's heap"))
                .forType(type)),
        maxStateSize);
  }

  @Override
  public long fenceOthers() throws IOException {
    return persistent.isPresent() ? persistent.get().fenceOthers() : 0;
  }

  @Override
  public CheckpointOutputStream createStream(long checkpointId, int subtask) {
    return new SpillingCheckpointOutputStream(Long.MAX_VALUE, null);
  }

  @Override
  public Optional<String> checkAck(SubtaskState ack) {
    for (Map.Entry<String, Long> state : ack.stateSizes().entrySet()) {
      if (state.getValue() > maxStateSize) {
        return Optional.of(
            "state '"
                + state.getKey()
                + "' of subtask "
                + ack.subtask()
                + " is "
                + ConfigValues.formatBytes(state.getValue())
                + ", over the memory backend's limit "
                + RuntimeOptions.MEMORY_MAX_STATE_SIZE.key()
                + " = "
                + ConfigValues.formatBytes(maxStateSize)
                + "; raise the limit or use the filesystem or rocksdb backend");
      }
    }
    return Optional.empty();
  }

  @Override
  public CompletedCheckpoint persist(CheckpointMetadata metadata) throws IOException {
    if (persistent.isPresent()) {
      return persistent.get().persist(metadata);
    }
    return new CompletedCheckpoint(
        metadata, "memory:" + SnapshotType.CHECKPOINT.directoryName(metadata.checkpointId()));
  }

  @Override
  public void discard(long checkpointId) throws IOException {
    if (persistent.isPresent()) {
      persistent.get().discard(checkpointId);
    }
  }

  @Override
  public RecoveredCheckpoints recover() throws IOException {
    return persistent.isPresent() ? persistent.get().recover() : RecoveredCheckpoints.none();
  }

  @Override
  public void close() throws IOException {
    if (persistent.isPresent()) {
      persistent.get().close();
    }
  }
}
