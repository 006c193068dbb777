package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/**
 * What a job's state is bound to, as last deployed: its key groups and where its checkpoints are.
 * Neither can change under existing state.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StateLayout {
  @JsonPropertyDescription("The number of key groups the state is split into.")
  public Integer maxParallelism;

  @JsonPropertyDescription("The checkpoint storage the job's checkpoints are under.")
  public String checkpointsUri;

  public StateLayout() {}

  public StateLayout(Integer maxParallelism, String checkpointsUri) {
    this.maxParallelism = maxParallelism;
    this.checkpointsUri = checkpointsUri;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StateLayout that
        && Objects.equals(maxParallelism, that.maxParallelism)
        && Objects.equals(checkpointsUri, that.checkpointsUri);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxParallelism, checkpointsUri);
  }
}
