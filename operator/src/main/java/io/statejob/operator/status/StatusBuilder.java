package io.statejob.operator.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.statejob.api.model.CheckpointsStatus;
import io.statejob.api.model.JobPhase;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobStatus;
import io.statejob.api.model.WorkersStatus;
import io.statejob.api.protocol.CheckpointsReport;
import io.statejob.api.protocol.JobFailure;
import io.statejob.api.validation.ValidationResult;
import io.statejob.operator.observer.Observation;
import io.statejob.operator.resources.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Optional;

/**
 * The next status of a job from its validation and what the observer saw: a pure function, so a
 * reconcile that sees nothing new computes an equal status and writes nothing.
 */
public final class StatusBuilder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusBuilder() {}

  /** The id under which the job's checkpoints are stored: fixed at the first reconcile. */
  public static String jobIdFor(StateJob job) {
    String uid = job.getMetadata().getUid() == null ? "" : job.getMetadata().getUid();
    return job.getMetadata().getNamespace()
        + "-"
        + job.getMetadata().getName()
        + (uid.length() >= 8 ? "-" + uid.substring(0, 8) : "");
  }

  /**
   * A new id for a job that starts over without state ({@code upgradeMode: stateless}): its
   * checkpoints go to a new directory, so no process finds the old ones.
   */
  public static String freshJobIdFor(StateJob job) {
    return jobIdFor(job) + "-g" + generationOf(job);
  }

  /** The spec's generation; 0 before the API server assigned one. */
  public static long generationOf(StateJob job) {
    return job.getMetadata().getGeneration() == null ? 0 : job.getMetadata().getGeneration();
  }

  public static StateJobStatus copyOf(StateJobStatus status) {
    StateJobStatus copy =
        status == null ? new StateJobStatus() : JSON.convertValue(status, StateJobStatus.class);
    if (copy.conditions == null) {
      copy.conditions = new ArrayList<>();
    }
    return copy;
  }

  /**
   * @param parallelism the workers the job runs with: the spec's, else the operator's default
   * @param checkpointMaxAge how long a running job may go without a completed checkpoint; null when
   *     the spec is invalid
   */
  public static StateJobStatus next(
      StateJob job,
      ValidationResult validation,
      Observation observation,
      int parallelism,
      Duration checkpointMaxAge,
      Instant now) {
    StateJobStatus previous = copyOf(job.getStatus());
    StateJobStatus next = copyOf(job.getStatus());
    long generation = generationOf(job);
    next.observedGeneration = generation;
    if (next.jobId == null) {
      next.jobId = jobIdFor(job);
    }
    if (!validation.isValid()) {
      Conditions.set(
          next.conditions,
          Conditions.SPEC_VALID,
          false,
          "InvalidSpec",
          String.join("; ", validation.errors()),
          generation,
          now);
      if (next.phase == null) {
        next.phase = JobPhase.Failed;
      }
      return next;
    }
    // warnings (an unknown config key, a field of a newer version) are said where users look
    Conditions.set(
        next.conditions,
        Conditions.SPEC_VALID,
        true,
        validation.warnings().isEmpty() ? "Valid" : "ValidWithWarnings",
        validation.warnings().isEmpty()
            ? "spec is valid"
            : "spec is valid; warnings: " + String.join("; ", validation.warnings()),
        generation,
        now);
    boolean suspended = Boolean.TRUE.equals(job.getSpec().suspend);
    next.workers = new WorkersStatus();
    next.workers.desired = suspended ? 0 : parallelism;
    next.workers.ready = observation.readyWorkers();
    next.workers.selector = Labels.selectorString(job, Labels.WORKER);
    observation.checkpoints().ifPresent(report -> mirrorCheckpoints(report, next, generation, now));
    next.phase = phase(previous, suspended, observation, next.workers, generation);
    boolean running = next.phase == JobPhase.Running;
    // why the job is not running, when there is more to say than its phase
    Optional<JobFailure> problem =
        observation
            .checkpoints()
            .map(CheckpointsReport::failure)
            .or(() -> observation.podProblem().map(p -> new JobFailure(p.reason(), p.message())))
            .filter(p -> !suspended && !running && next.phase != JobPhase.Finished);
    Conditions.set(
        next.conditions,
        Conditions.READY,
        running,
        problem.map(JobFailure::reason).orElse(running ? "Running" : next.phase.name()),
        problem
            .map(JobFailure::message)
            .orElse(
                running
                    ? "coordinator and " + next.workers.ready + " workers ready"
                    : next.phase == JobPhase.Finished
                        ? "the bounded sources ended and the final checkpoint completed"
                        : next.workers.ready + " of " + next.workers.desired + " workers ready"),
        generation,
        now);
    CheckpointProgress.check(next, checkpointMaxAge, generation, now);
    return next;
  }

  private static void mirrorCheckpoints(
      CheckpointsReport report, StateJobStatus next, long generation, Instant now) {
    if (report.checkpoints() != null) {
      CheckpointsStatus previous = next.checkpoints;
      next.checkpoints = report.checkpoints();
      // the nonce is the operator's record, not the coordinator's
      next.checkpoints.lastTriggerNonce = previous == null ? null : previous.lastTriggerNonce;
      CheckpointCounts.continueFrom(previous, next.checkpoints, report.coordinatorStartedAt());
    }
    boolean healthy = report.consecutiveFailures() == 0;
    Conditions.set(
        next.conditions,
        Conditions.CHECKPOINTS_HEALTHY,
        healthy,
        healthy ? "Completing" : "Failing",
        healthy
            ? "the latest checkpoint completed"
            : report.consecutiveFailures() + " consecutive checkpoints failed",
        generation,
        now);
  }

  private static JobPhase phase(
      StateJobStatus previous,
      boolean suspended,
      Observation observation,
      WorkersStatus workers,
      long generation) {
    if (suspended) {
      return JobPhase.Suspended;
    }
    if (observation.checkpoints().map(CheckpointsReport::finished).orElse(false)) {
      return JobPhase.Finished; // its workers may be gone: that is no recovery
    }
    if (observation.checkpoints().map(CheckpointsReport::failure).isPresent()) {
      return JobPhase.Failed; // the coordinator stays up to say why, and does not retry
    }
    if (observation.coordinatorAvailable() && workers.ready >= workers.desired) {
      return JobPhase.Running;
    }
    boolean wasUp =
        previous.phase == JobPhase.Running
            || previous.phase == JobPhase.Recovering
            || previous.phase == JobPhase.Upgrading;
    if (!wasUp) {
      return JobPhase.Deploying;
    }
    boolean specChanged =
        previous.observedGeneration != null && previous.observedGeneration != generation;
    if (specChanged || previous.phase == JobPhase.Upgrading) {
      return JobPhase.Upgrading;
    }
    return JobPhase.Recovering;
  }
}
