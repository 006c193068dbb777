package io.statejob.runtime.snapshot;

import java.io.IOException;

/**
 * A checkpoint written in a format this runtime does not read. Unlike a corrupt one it is not
 * skipped for an older checkpoint, which would be of the same format: the job stops and says why.
 */
public final class UnsupportedCheckpointFormatException extends IOException {
  public UnsupportedCheckpointFormatException(String message) {
    super(message);
  }
}
