package io.statejob.api.protocol;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.statejob.api.model.CheckpointInfo;

/**
 * What a coordinator answers about one snapshot request, on {@code POST /savepoints}, {@code GET
 * /savepoints/<requestId>}, and the same under {@code /checkpoints}.
 *
 * @param requestId the request's name
 * @param state where the request stands
 * @param snapshot the savepoint or checkpoint once completed (named {@code savepoint} by
 *     coordinators before checkpoints could be requested)
 * @param failure why the request's snapshot failed; while a retry is in progress, why the previous
 *     attempt failed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SnapshotReport(
    String requestId,
    State state,
    @JsonAlias("savepoint") CheckpointInfo snapshot,
    String failure) {
  /** Where a snapshot request stands. */
  public enum State {
    IN_PROGRESS,
    COMPLETED,
    FAILED
  }
}
