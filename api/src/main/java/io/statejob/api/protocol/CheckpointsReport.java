package io.statejob.api.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.statejob.api.model.CheckpointInfo;
import io.statejob.api.model.CheckpointsStatus;

/**
 * What a coordinator answers on {@code GET /checkpoints}: the checkpoint part of a StateJob's
 * status, as the operator mirrors it, the run of failures that decides whether checkpoints are
 * healthy, and whether the job has finished or failed for good.
 *
 * @param consecutiveFailures checkpoints failed since the last completed one
 * @param finished the job's bounded sources ended and its final checkpoint completed (false from a
 *     coordinator that predates the field)
 * @param failure why the job stopped for good, or null while it has not
 * @param coordinatorStartedAt when the coordinator process started (RFC 3339): its counts of
 *     completed and failed checkpoints begin there, and a new value means a new coordinator
 * @param stoppedWith the savepoint the job stopped with (a stop-with-savepoint request): nothing
 *     runs until its pods are replaced or the job is resumed ({@code POST /job/resume}); null while
 *     the job runs
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CheckpointsReport(
    CheckpointsStatus checkpoints,
    int consecutiveFailures,
    boolean finished,
    JobFailure failure,
    String coordinatorStartedAt,
    CheckpointInfo stoppedWith) {}
