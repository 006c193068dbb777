package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The spec the job last ran well with, and the change under way or rolled back. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpgradeStatus {
  @JsonPropertyDescription("Generation of the last spec the job ran and checkpointed with.")
  public Long stableGeneration;

  @JsonPropertyDescription("That spec, as JSON: what a rollback goes back to.")
  public String stableSpec;

  @JsonPropertyDescription("Generation whose pods were applied last, after the stable one.")
  public Long generation;

  @JsonPropertyDescription("When that generation's pods were applied (RFC 3339).")
  public String startedAt;

  @JsonPropertyDescription("A generation rolled back to the stable spec, until the spec changes.")
  public Long rolledBackGeneration;

  @JsonPropertyDescription("Why it was rolled back.")
  public String rollbackReason;
}
