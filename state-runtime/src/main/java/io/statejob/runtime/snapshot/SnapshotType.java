package io.statejob.runtime.snapshot;

import java.util.regex.Pattern;

/**
 * What a snapshot is for. Checkpoints are the job's own recovery points: retained a few at a time,
 * incremental where the backend can. Savepoints are taken on request (by a user or before an
 * upgrade), self-contained so they outlive every checkpoint, and never deleted by the runtime.
 */
public enum SnapshotType {
  CHECKPOINT("", "chk-"),
  SAVEPOINT("savepoints", "sp-");

  private final String parent;
  private final String prefix;
  private final Pattern directoryPattern;

  SnapshotType(String parent, String prefix) {
    this.parent = parent;
    this.prefix = prefix;
    this.directoryPattern = Pattern.compile(prefix + "(\\d+)");
  }

  /**
   * The folder under the job's directory that holds snapshots of this type; empty for the job's.
   */
  public String parent() {
    return parent;
  }

  /** The name of the directory of snapshot {@code id}, e.g. {@code chk-7} or {@code sp-7}. */
  public String directoryName(long id) {
    return prefix + id;
  }

  /** Matches a directory name of this type; group 1 is the id. */
  public Pattern directoryPattern() {
    return directoryPattern;
  }

  public boolean isSavepoint() {
    return this == SAVEPOINT;
  }
}
