package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One completed checkpoint or savepoint. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointInfo {
  @JsonPropertyDescription("Checkpoint number, increasing over the life of the job.")
  public Long id;

  @JsonPropertyDescription("URI of the checkpoint's directory.")
  public String path;

  @JsonPropertyDescription("Completion time (RFC 3339).")
  public String completedAt;

  @JsonPropertyDescription("Total size of the state the checkpoint holds.")
  public Long stateSizeBytes;

  @JsonPropertyDescription("Bytes written by this checkpoint (smaller when incremental).")
  public Long uploadedBytes;

  @JsonPropertyDescription("Time from trigger to completion.")
  public Long durationMs;

  @JsonPropertyDescription(
      "Longest time a stage waited for the checkpoint's barrier from every worker (alignment).")
  public Long alignmentMs;

  @JsonPropertyDescription("full, incremental or savepoint.")
  public String type;

  @JsonPropertyDescription(
      "What asked for a savepoint: nonce-<n>, upgrade-<generation> or periodic-<n>.")
  public String trigger;
}
