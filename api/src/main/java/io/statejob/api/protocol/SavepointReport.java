package io.statejob.api.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.statejob.api.model.CheckpointInfo;

/**
 * What a coordinator answers about one savepoint request, on {@code POST /savepoints} and {@code
 * GET /savepoints/<requestId>}.
 *
 * @param requestId the request's name
 * @param state where the request stands
 * @param savepoint the savepoint once completed
 * @param failure why the request's savepoint failed; while a retry is in progress, why the previous
 *     attempt failed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SavepointReport(
    String requestId, State state, CheckpointInfo savepoint, String failure) {
  /** Where a savepoint request stands. */
  public enum State {
    IN_PROGRESS,
    COMPLETED,
    FAILED
  }
}
