package io.statejob.runtime.snapshot;

/**
 * A completed checkpoint and where it is.
 *
 * @param metadata its metadata
 * @param path URI of its directory, or {@code memory:chk-<n>} when only in the coordinator's heap
 */
public record CompletedCheckpoint(CheckpointMetadata metadata, String path) {
  public long id() {
    return metadata.checkpointId();
  }
}
