package io.statejob.runtime.storage;

import io.statejob.runtime.snapshot.SnapshotType;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory of one snapshot that is to go: an aborted checkpoint or savepoint, the leftover of
 * a crashed attempt, or a subsumed checkpoint.
 */
public record SnapshotDirectory(SnapshotType type, long id) {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotDirectory.class);

  /**
   * Deletes it from the job's {@code storage}.
   *
   * @return false, after a warning, when the storage failed: the caller tries again later
   */
  public boolean discardFrom(CheckpointStorage storage) {
    try {
      storage.forType(type).discard(id);
      return true;
    } catch (IOException e) {
      LOG.atWarn()
          .addKeyValue("snapshot", type.directoryName(id))
          .addKeyValue("reason", storage.describeFailure(e))
          .log("cannot delete snapshot files; will retry");
      return false;
    }
  }
}
