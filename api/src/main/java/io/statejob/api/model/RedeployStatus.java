package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A redeploy of the job from a chosen snapshot. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RedeployStatus {
  @JsonPropertyDescription("The spec.restore.redeployNonce acted on.")
  public Long lastNonce;

  @JsonPropertyDescription("The snapshot the job was redeployed from.")
  public String path;

  @JsonPropertyDescription("The job id it got, under which its new checkpoints go.")
  public String jobId;
}
