package io.statejob.api.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.statejob.api.model.CheckpointsStatus;

/**
 * What a coordinator answers on {@code GET /checkpoints}: the checkpoint part of a StateJob's
 * status, as the operator mirrors it, and the run of failures that decides whether checkpoints are
 * healthy.
 *
 * @param consecutiveFailures checkpoints failed since the last completed one
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckpointsReport(CheckpointsStatus checkpoints, int consecutiveFailures) {}
