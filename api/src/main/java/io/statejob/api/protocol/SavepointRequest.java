package io.statejob.api.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The body of a coordinator's {@code POST /savepoints}.
 *
 * @param requestId names the request, so that asking again reports on the same savepoint instead of
 *     taking another (the operator uses {@code nonce-<n>} and {@code upgrade-<generation>}); a new
 *     id is made up when absent
 * @param retryFailed whether a request whose savepoint failed takes a new one; otherwise it keeps
 *     reporting the failure
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SavepointRequest(String requestId, boolean retryFailed) {}
