package io.statejob.runtime.snapshot;

/**
 * A file a completed checkpoint or savepoint references is missing, shorter or longer than
 * recorded, or fails its checksum. Every snapshot that references the file is unusable; a restore
 * falls back to an older one.
 */
public final class DamagedSnapshotException extends CorruptCheckpointException {
  private final String file;
  private final String problem;

  public DamagedSnapshotException(String file, String problem) {
    super(file + ": " + problem);
    this.file = file;
    this.problem = problem;
  }

  /** The damaged file's path, or a description of inline bytes. */
  public String file() {
    return file;
  }

  /** What is wrong with the file. */
  public String problem() {
    return problem;
  }
}
