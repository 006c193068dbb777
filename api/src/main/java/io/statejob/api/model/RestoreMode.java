package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who owns the files of a snapshot another job restores (Flink's restore modes). */
public enum RestoreMode {
  /** The restoring job never references the snapshot's files: its first checkpoint is full. */
  @JsonProperty("no-claim")
  NO_CLAIM,
  /**
   * The restoring job takes the snapshot's files over: its incremental checkpoints reference them,
   * and its cleanup deletes them once no checkpoint of its own needs them.
   */
  @JsonProperty("claim")
  CLAIM;

  /** The value of the runtime key {@code execution.savepoint-restore-mode}. */
  public String configValue() {
    return this == CLAIM ? "claim" : "no-claim";
  }
}
