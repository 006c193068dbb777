package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Savepoints the operator asked for: on a new savepointTriggerNonce and before upgrades. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SavepointsStatus {
  @JsonPropertyDescription("The newest savepoint.")
  public CheckpointInfo latest;

  @JsonPropertyDescription("The savepointTriggerNonce last acted on.")
  public Long lastTriggerNonce;

  @JsonPropertyDescription(
      "Why the savepoint the operator last asked for failed; cleared when one completes. A"
          + " savepoint before an upgrade is retried; for savepointTriggerNonce, change the nonce"
          + " again.")
  public String lastFailure;
}
