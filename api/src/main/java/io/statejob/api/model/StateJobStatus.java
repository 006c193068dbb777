package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** The observed state of a StateJob, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StateJobStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("Lifecycle phase of the job.")
  public JobPhase phase;

  @JsonPropertyDescription("Ready, SpecValid and CheckpointsHealthy conditions.")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "Stable id under which checkpoints are stored, assigned at the first deployment.")
  public String jobId;

  @JsonPropertyDescription(
      "maxParallelism and the checkpoint URI as last deployed: what the job's state is bound to,"
          + " checked against every spec change.")
  public StateLayout stateLayout;

  @JsonPropertyDescription("Desired and ready workers.")
  public WorkersStatus workers;

  @JsonPropertyDescription("Completed checkpoints and the restore point.")
  public CheckpointsStatus checkpoints;

  @JsonPropertyDescription("Savepoints taken on request.")
  public SavepointsStatus savepoints;

  @JsonPropertyDescription("Restarts because checkpoints stopped completing.")
  public StallsStatus stalls;

  @JsonPropertyDescription(
      "The last redeploy from spec.restore.path that a redeployNonce asked for.")
  public RedeployStatus redeploy;

  @JsonPropertyDescription("The last stable spec, and the upgrade under way or rolled back.")
  public UpgradeStatus upgrade;
}
