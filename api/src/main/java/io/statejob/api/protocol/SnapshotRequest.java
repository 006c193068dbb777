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
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotRequest(String requestId, boolean retryFailed) {}
