package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Savepoints taken through savepointTriggerNonce. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SavepointsStatus {
  @JsonPropertyDescription("The newest savepoint.")
  public CheckpointInfo latest;

  @JsonPropertyDescription("The savepointTriggerNonce last acted on.")
  public Long lastTriggerNonce;
}
