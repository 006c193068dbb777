package io.statejob.api.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The body of a coordinator's {@code POST /savepoints} or {@code POST /checkpoints}.
 *
 * @param requestId names the request, so that asking again reports on the same snapshot instead of
 *     taking another (the operator uses {@code nonce-<n>} and {@code upgrade-<generation>}); a new
 *     id is made up when absent
 * @param retryFailed whether a request whose snapshot failed takes a new one; otherwise it keeps
 *     reporting the failure
 * @param stop savepoints only: processing stops at the savepoint's barrier and the job stays
 *     stopped once it completes (Flink's stop-with-savepoint); a failed one restarts the job from
 *     its latest checkpoint
 * @param drain with {@code stop}: event time advances to its end before the savepoint, firing every
 *     event-time timer and window (Flink's {@code --drain})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotRequest(String requestId, boolean retryFailed, boolean stop, boolean drain) {
  /** A request that leaves the job running. */
  public SnapshotRequest(String requestId, boolean retryFailed) {
    this(requestId, retryFailed, false, false);
  }
}
