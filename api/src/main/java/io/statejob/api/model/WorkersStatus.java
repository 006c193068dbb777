package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Worker counts. */
public class WorkersStatus {
  @JsonPropertyDescription("Workers the spec asks for.")
  public Integer desired;

  @JsonPropertyDescription("Workers that are ready.")
  public Integer ready;
}
