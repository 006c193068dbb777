package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Checkpoint history as reported by the coordinator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointsStatus {
  @JsonPropertyDescription("The newest completed checkpoint: the restore point.")
  public CheckpointInfo latest;

  @JsonPropertyDescription("Recent completed checkpoints, newest last.")
  public List<CheckpointInfo> history = new ArrayList<>();

  @JsonPropertyDescription("Number of checkpoints completed.")
  public Long completed;

  @JsonPropertyDescription("Number of checkpoints failed or aborted.")
  public Long failed;

  @JsonPropertyDescription("The checkpoint the running job restored from.")
  public RestoredFrom restoredFrom;

  @JsonPropertyDescription("The last spec.checkpoints.triggerNonce acted on.")
  public Long lastTriggerNonce;

  /** Where a running job's state came from. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RestoredFrom {
    @JsonPropertyDescription("Checkpoint number.")
    public Long id;

    @JsonPropertyDescription("URI of the checkpoint's directory.")
    public String path;

    @JsonPropertyDescription("Time of the restore (RFC 3339).")
    public String at;
  }
}
