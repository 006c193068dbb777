package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import io.statejob.api.validation.StateJobValidator;
import java.util.Map;

/**
 * The desired state of a StateJob. Unset fields fall back to the cluster-wide default runtime
 * configuration, then to the built-in defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.stateBackend) || !has(self.stateBackend.type)"
            + " || !(self.stateBackend.type in ['rocksdb', 'filesystem'])"
            + " || (has(self.checkpoints) && has(self.checkpoints.uri))",
    message = "the rocksdb and filesystem backends need checkpoints.uri")
@ValidationRule(
    value =
        "!has(self.parallelism)"
            + " || self.parallelism <= (has(self.maxParallelism) ? self.maxParallelism : 128)",
    message = "parallelism must not exceed maxParallelism: each worker needs a key group")
@ValidationRule(
    value =
        "(has(self.upgradeMode) && self.upgradeMode == 'stateless')"
            + " || !has(self.maxParallelism) || !has(oldSelf.maxParallelism)"
            + " || self.maxParallelism == oldSelf.maxParallelism",
    message = StateJobSpec.MAX_PARALLELISM_IMMUTABLE)
@ValidationRule(
    value =
        "(has(self.upgradeMode) && self.upgradeMode == 'stateless')"
            + " || !has(oldSelf.checkpoints) || !has(oldSelf.checkpoints.uri)"
            + " || (has(self.checkpoints) && has(self.checkpoints.uri)"
            + " && self.checkpoints.uri == oldSelf.checkpoints.uri)",
    message = StateJobSpec.CHECKPOINTS_URI_IMMUTABLE)
public class StateJobSpec {
  /** Why maxParallelism stays: the CRD's transition rule and the operator say the same. */
  public static final String MAX_PARALLELISM_IMMUTABLE =
      "maxParallelism cannot change: the job's state is split into that many key groups for good."
          + " To use another value, start a new StateJob without this state, or set upgradeMode:"
          + " stateless to start this one over";

  /** Why the checkpoint URI stays: the new location holds none of the job's checkpoints. */
  public static final String CHECKPOINTS_URI_IMMUTABLE =
      "checkpoints.uri cannot change: the new location holds none of the job's checkpoints, so"
          + " the job would start from empty state. To move it, take a savepoint"
          + " (savepointTriggerNonce), then create a new StateJob with the new checkpoints.uri and"
          + " restore.path set to the savepoint; or set upgradeMode: stateless to start this one"
          + " over";

  @JsonPropertyDescription(
      "Container image of the StateJob runtime. Defaults to the operator's defaultImage.")
  @Size(max = 1024)
  public String image;

  @JsonPropertyDescription("The job program to run: a class implementing StateJobProgram.")
  @Required
  public JobSpec job;

  @JsonPropertyDescription(
      "Number of workers; each owns a contiguous range of key groups. Defaults to 1.")
  @Min(1)
  @Max(StateJobValidator.MAX_KEY_GROUPS)
  @Default("1")
  @SpecReplicas
  public Integer parallelism;

  @JsonPropertyDescription(
      "Number of key groups, the upper bound for parallelism. Fixed for the life of the job's"
          + " state. Defaults to 128.")
  @Min(1)
  @Max(StateJobValidator.MAX_KEY_GROUPS)
  @Default("128")
  public Integer maxParallelism;

  @JsonPropertyDescription("Where the job keeps its working state and how it snapshots it.")
  public StateBackendSpec stateBackend;

  @JsonPropertyDescription("Where and how often checkpoints are taken and how many are kept.")
  public CheckpointsSpec checkpoints;

  @JsonPropertyDescription("Access to the durable storage that holds checkpoints.")
  public StorageSpec storage;

  @JsonPropertyDescription(
      "How a spec change is rolled out: stateless (start empty), last-state (restore the latest"
          + " checkpoint) or savepoint (take a savepoint first). Defaults to last-state.")
  @Default("last-state")
  public UpgradeMode upgradeMode;

  @JsonPropertyDescription("Rollback of a change that does not come up.")
  public UpgradeSpec upgrade;

  @JsonPropertyDescription("State to start from when the job has no checkpoint of its own.")
  public RestoreSpec restore;

  @JsonPropertyDescription("Change this number to trigger a savepoint.")
  public Long savepointTriggerNonce;

  @JsonPropertyDescription("Periodic savepoints and the savepoint history's retention.")
  public SavepointsSpec savepoints;

  @JsonPropertyDescription(
      "Change this number to restart the job's pods from the latest checkpoint, with no other"
          + " change (the Flink Kubernetes Operator's restartNonce).")
  public Long restartNonce;

  @JsonPropertyDescription("Stop the job's pods after a final snapshot; set to false to resume.")
  public Boolean suspend;

  @JsonPropertyDescription("Compute resources of the coordinator and worker containers.")
  public ResourcesSpec resources;

  @JsonPropertyDescription("A pod template merged into the coordinator and worker pods.")
  public PodTemplateSpec podTemplate;

  @JsonPropertyDescription("The coordinator pod's own template, over podTemplate.")
  public RoleSpec coordinator;

  @JsonPropertyDescription("The worker pods' own template, over podTemplate.")
  public RoleSpec worker;

  @JsonPropertyDescription(
      "Further runtime configuration keys (as in the runtime's YAML config), e.g."
          + " execution.checkpointing.interval or fs.s3a.*. Typed fields above take precedence.")
  @Size(max = 1000)
  public Map<String, String> config;
}
