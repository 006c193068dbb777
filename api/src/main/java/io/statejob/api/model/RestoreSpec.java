package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** Earlier state to start from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreSpec {
  @JsonPropertyDescription(
      "A checkpoint or savepoint directory (chk-N or sp-N) to restore when the job has no"
          + " checkpoint of its own.")
  @Size(max = 4096)
  public String path;

  @JsonPropertyDescription(
      "Whether the job may reference the files of restore.path when it is another job's"
          + " snapshot: no-claim (default) never does, its first checkpoint is a full one; claim"
          + " takes them over, and its cleanup deletes them once none of its checkpoints needs"
          + " them (Flink's restore modes).")
  public RestoreMode mode;

  @JsonPropertyDescription(
      "Change this number to redeploy the running job from exactly restore.path, whatever"
          + " checkpoints it has (the Flink Kubernetes Operator's savepointRedeployNonce). The"
          + " job gets a new job id: its own checkpoints stay where they are.")
  public Long redeployNonce;

  @JsonPropertyDescription(
      "Start even when the restored state holds operator state that the job no longer has.")
  public Boolean allowNonRestoredState;

  @JsonPropertyDescription(
      "Start even when the checkpoint storage has no checkpoint as new as the latest one in"
          + " status (a changed URI, a wiped volume): without it such a job fails with reason"
          + " RestorePointMissing instead of starting from empty or older state.")
  public Boolean allowEmptyState;
}
