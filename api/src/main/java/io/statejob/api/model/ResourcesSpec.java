package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** Compute resources per role. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcesSpec {
  @JsonPropertyDescription("Resources of the coordinator container.")
  public ResourceRequirements coordinator;

  @JsonPropertyDescription("Resources of each worker container.")
  public ResourceRequirements worker;
}
