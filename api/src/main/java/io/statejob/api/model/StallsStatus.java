package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Restarts of a running job whose checkpoints stopped completing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StallsStatus {
  @JsonPropertyDescription(
      "Restarts because no checkpoint completed within spec.checkpoints.maxAge, over the life of"
          + " the job.")
  public Long restarts;

  @JsonPropertyDescription("When the restarts of the last hour happened (RFC 3339), oldest first.")
  public List<String> recent = new ArrayList<>();
}
