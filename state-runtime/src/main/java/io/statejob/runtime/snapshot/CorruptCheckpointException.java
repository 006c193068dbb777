package io.statejob.runtime.snapshot;

import java.io.IOException;

/**
 * A checkpoint whose metadata is missing, truncated or unreadable, or ({@link
 * DamagedSnapshotException}) one of whose files is.
 */
public class CorruptCheckpointException extends IOException {
  public CorruptCheckpointException(String message) {
    super(message);
  }

  public CorruptCheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
