package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

/** Worker counts. */
public class WorkersStatus {
  @JsonPropertyDescription("Workers the spec asks for.")
  public Integer desired;

  @JsonPropertyDescription("Workers that are ready.")
  @StatusReplicas
  public Integer ready;

  @JsonPropertyDescription(
      "Label selector of the job's worker pods, for the scale subresource (an autoscaler reads"
          + " their metrics).")
  @LabelSelector
  public String selector;
}
