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

  @JsonPropertyDescription("Number of checkpoints completed, over the life of the job.")
  public Long completed;

  @JsonPropertyDescription("Number of checkpoints failed or aborted, over the life of the job.")
  public Long failed;

  @JsonPropertyDescription(
      "The counts of the running coordinator, which the totals above continue from when it"
          + " restarts.")
  public CoordinatorCounts coordinator;

  @JsonPropertyDescription("The checkpoint the running job restored from.")
  public RestoredFrom restoredFrom;

  @JsonPropertyDescription("The last spec.checkpoints.triggerNonce acted on.")
  public Long lastTriggerNonce;

  /** What the running coordinator counted since it started. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class CoordinatorCounts {
    @JsonPropertyDescription("When the coordinator started (RFC 3339).")
    public String startedAt;

    @JsonPropertyDescription("Checkpoints it completed.")
    public Long completed;

    @JsonPropertyDescription("Checkpoints that failed under it.")
    public Long failed;
  }

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
