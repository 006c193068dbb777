package io.statejob.api.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Why a job stopped for good, as its coordinator reports it: the operator shows it as phase Failed,
 * the reason and the message, and does not restart the pods into the same failure.
 *
 * @param reason one word, e.g. {@code RestorePointMissing}
 * @param message what happened and what a person can do about it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobFailure(String reason, String message) {}
