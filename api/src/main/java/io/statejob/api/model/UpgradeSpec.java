package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** What the operator does when a change does not come up. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpgradeSpec {
  @JsonPropertyDescription(
      "Roll a change whose pods are not running and checkpointing within readinessTimeout back"
          + " to the last stable spec (kept in status), from the latest checkpoint.")
  public Boolean rollback;

  @JsonPropertyDescription("How long a change may take to run and checkpoint (default 5m).")
  @Pattern(Patterns.DURATION)
  @Size(max = 64)
  public String readinessTimeout;
}
