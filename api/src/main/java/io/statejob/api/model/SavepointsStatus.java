package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * Savepoints the operator asked for: on a new savepointTriggerNonce, before upgrades and
 * periodically.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SavepointsStatus {
  @JsonPropertyDescription("The newest savepoint.")
  public CheckpointInfo latest;

  @JsonPropertyDescription(
      "Savepoints the operator took and has not disposed of, oldest first, each with its"
          + " trigger.")
  public List<CheckpointInfo> history = new ArrayList<>();

  @JsonPropertyDescription(
      "Why the last disposal of an expired savepoint failed; it is tried again at the next"
          + " reconcile, and the entry stays until the files are gone.")
  public String lastDisposalFailure;

  @JsonPropertyDescription("The savepointTriggerNonce last acted on.")
  public Long lastTriggerNonce;

  @JsonPropertyDescription(
      "Why the savepoint the operator last asked for failed; cleared when one completes. A"
          + " savepoint before an upgrade is retried; for savepointTriggerNonce, change the nonce"
          + " again.")
  public String lastFailure;
}
