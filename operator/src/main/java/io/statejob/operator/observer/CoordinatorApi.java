package io.statejob.operator.observer;

import java.util.Optional;

/**
 * Where a job's coordinator answers, and the token its requests that change the job carry.
 *
 * @param token the job's API token, from its Secret; empty before the Secret exists (a coordinator
 *     started by an operator version without tokens asks for none)
 */
public record CoordinatorApi(String url, Optional<String> token) {}
