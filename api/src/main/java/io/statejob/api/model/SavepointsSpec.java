package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Savepoints the operator takes by itself, and how many of them it keeps. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SavepointsSpec {
  /** More savepoints in history than this is a mistake: each one keeps its state in storage. */
  public static final int MAX_COUNT = 1000;

  @JsonPropertyDescription(
      "Take a savepoint this often while the job runs (the Flink Kubernetes Operator's"
          + " periodic savepoints). Unset: none.")
  @Pattern(Patterns.DURATION)
  @Size(max = 64)
  public String interval;

  @JsonPropertyDescription(
      "Savepoints kept in status.savepoints.history; older ones are disposed: their files are"
          + " deleted, then their entry. The one the job last restored from is kept. Unset: all.")
  @Min(1)
  @Max(MAX_COUNT)
  public Integer maxCount;

  @JsonPropertyDescription(
      "Savepoints older than this are disposed, except the newest and the one the job last"
          + " restored from. Unset: no limit.")
  @Pattern(Patterns.DURATION)
  @Size(max = 64)
  public String maxAge;

  @JsonPropertyDescription(
      "When the StateJob is deleted, first stop the running job with a final savepoint, which"
          + " stays (with checkpoints.cleanupOnDelete, the deletion waits for it).")
  public Boolean onDelete;
}
