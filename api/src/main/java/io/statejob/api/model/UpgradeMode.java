package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a change of the spec is rolled out. */
public enum UpgradeMode {
  /** Start with empty state. */
  @JsonProperty("stateless")
  STATELESS,
  /** Restore the latest completed checkpoint. */
  @JsonProperty("last-state")
  LAST_STATE,
  /** Take a savepoint, then restore it. */
  @JsonProperty("savepoint")
  SAVEPOINT
}
