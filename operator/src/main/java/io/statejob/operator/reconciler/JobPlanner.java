package io.statejob.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.api.model.CheckpointsStatus;
import io.statejob.api.model.JobPhase;
import io.statejob.api.model.RedeployStatus;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobStatus;
import io.statejob.api.model.StateLayout;
import io.statejob.api.model.UpgradeMode;
import io.statejob.api.validation.StateJobValidator;
import io.statejob.api.validation.ValidationResult;
import io.statejob.operator.config.OperatorConfig;
import io.statejob.operator.observer.Observation;
import io.statejob.operator.resources.DesiredResources;
import io.statejob.operator.resources.RuntimeConfigMapBuilder;
import io.statejob.operator.status.CheckpointProgress;
import io.statejob.operator.status.Conditions;
import io.statejob.operator.status.StatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides what a job needs from what was observed: a pure function of the job, the observation and
 * the time (and a new API token when the job has none), with no call to anything. An invalid spec
 * is reported in status and plans nothing else; a valid one plans its desired resources. A change
 * that rolls running pods follows the job's upgrade mode: {@code savepoint} waits for a savepoint
 * first, {@code stateless} starts under a new job id, with no checkpoints, and {@code last-state}
 * rolls at once (the new pods restore the newest checkpoint).
 */
final class JobPlanner {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How soon a job waiting for a savepoint or a requested checkpoint is looked at again. */
  static final Duration SNAPSHOT_RECHECK = Duration.ofSeconds(2);

  private final OperatorConfig config;
  private final Supplier<String> newToken;

  /**
   * @param newToken the API token of a job whose Secret does not exist (random in the operator)
   */
  JobPlanner(OperatorConfig config, Supplier<String> newToken) {
    this.config = config;
    this.newToken = newToken;
  }

  Plan plan(StateJob job, Observation observation, Instant now) {
    // the spec as the pods would run it, for the checks before anything is built
    RuntimeConfig runtime = RuntimeConfigMapBuilder.runtimeConfig(job, config);
    StateLayout layout = RuntimeConfigMapBuilder.stateLayout(runtime);
    ValidationResult validation = validate(job, layout, runtime);
    StateJobStatus status =
        StatusBuilder.next(
            job,
            validation,
            observation,
            runtime.get(RuntimeOptions.PARALLELISM),
            validation.isValid() ? checkpointMaxAge(job, runtime) : null,
            now);
    Plan plan = new Plan(status);
    boolean snapshotPending = false;
    if (validation.isValid()) {
      // both asked for: the coordinator takes the savepoint first, the checkpoint after it
      snapshotPending = SnapshotTrigger.onSavepointNonce(job, observation, status, plan);
      snapshotPending |= SnapshotTrigger.onCheckpointNonce(job, observation, status, plan);
      snapshotPending |= SnapshotTrigger.onPeriodic(job, observation, status, now, plan);
      plan.dispose(SnapshotTrigger.expired(job, observation, status, now));
      boolean redeploying = redeploy(job, observation, status, plan);
      Rollback.observe(job, status);
      StateJob effective = Rollback.effective(job, status, now, plan);
      boolean rolledBack = effective != job;
      String apiToken = observation.api().token().orElseGet(newToken);
      // the job id goes into the runtime config, so it is fixed before anything is built
      DesiredResources desired =
          DesiredResources.of(withStatus(effective, status), config, apiToken);
      boolean awaitSavepoint = false;
      boolean rolls = rollsPods(desired, observation);
      if (!redeploying && !rolledBack && !rolls) {
        stoppedForAWithdrawnChange(job, observation, status).ifPresent(plan::resume);
      }
      if (!redeploying && !rolledBack && rolls) {
        switch (restartOnly(desired, observation) ? UpgradeMode.LAST_STATE : upgradeMode(job)) {
          case STATELESS -> {
            status.jobId = StatusBuilder.freshJobIdFor(job);
            status.checkpoints = null; // the new job id has none yet: none is expected
            desired = DesiredResources.of(withStatus(job, status), config, apiToken);
          }
          case SAVEPOINT ->
              awaitSavepoint = !SnapshotTrigger.readyToUpgrade(job, observation, status, plan);
          case LAST_STATE -> {}
        }
      }
      if (awaitSavepoint) {
        // the pods stay as they are until the savepoint completed
        status.phase = JobPhase.Upgrading;
        snapshotPending = true;
      } else {
        plan.apply(desired, observation.legacyCoordinator());
        if (!rolledBack) {
          Rollback.applied(job, status, now);
        }
        status.stateLayout = layout;
      }
    }
    events(StatusBuilder.copyOf(job.getStatus()), status, plan);
    if (snapshotPending || !plan.snapshotRequests().isEmpty()) {
      plan.requeueAfter(SNAPSHOT_RECHECK);
    }
    return plan;
  }

  /** The spec's own checks, then what only the operator knows: the deployed state, sizes. */
  private ValidationResult validate(StateJob job, StateLayout layout, RuntimeConfig runtime) {
    ValidationResult validation =
        PodTemplatePolicy.check(
            job,
            config.privilegedPodsAllowed(),
            StateLayoutGuard.check(job, layout, StateJobValidator.validate(job)));
    if (!validation.isValid()) {
      return validation;
    }
    return RuntimeConfigMapBuilder.sizeProblem(job, runtime)
        .map(problem -> new ValidationResult(List.of(problem), validation.warnings()))
        .orElse(validation);
  }

  /**
   * The savepoint a job stopped with for a change of its pods that no longer applies (the spec went
   * back while the savepoint was taken): nothing else would set it going again. The stop recorded
   * for the current generation is left alone: its change was applied, and the old pods are on their
   * way out.
   */
  private static Optional<String> stoppedForAWithdrawnChange(
      StateJob job, Observation observation, StateJobStatus status) {
    Optional<String> savepoint =
        observation.checkpoints().map(r -> r.stoppedWith()).map(s -> s.path);
    String current = SnapshotTrigger.upgradeRequest(job);
    boolean forTheCurrentChange =
        status.savepoints != null
            && status.savepoints.history.stream()
                .anyMatch(s -> s.path.equals(savepoint.orElse(null)) && current.equals(s.trigger));
    // a coordinator answering for another job (a wrong URL) is not this job's to resume
    boolean ofThisJob = savepoint.isPresent() && savepoint.get().contains("/" + status.jobId + "/");
    return ofThisJob && !forTheCurrentChange ? savepoint : Optional.empty();
  }

  /** Whether applying {@code desired} would change the pods of a job that has pods. */
  private static boolean rollsPods(DesiredResources desired, Observation observation) {
    return observation.legacyCoordinator().isPresent()
        || observation
            .coordinator()
            .filter(d -> !ResourceApplier.isCurrent(desired.coordinator(), d))
            .isPresent()
        || observation
            .workers()
            .filter(s -> !ResourceApplier.isCurrent(desired.workers(), s))
            .isPresent();
  }

  /**
   * Acts on a new {@code restore.redeployNonce}: the job restarts from exactly {@code
   * restore.path}, under a job id of its own, which holds no checkpoint, so the new coordinator
   * finds none before the path. The job's earlier checkpoints stay under the old id. A nonce the
   * job is created with is recorded only: a new job starts from the path anyway.
   *
   * @return whether the job is redeployed now
   */
  private static boolean redeploy(
      StateJob job, Observation observation, StateJobStatus status, Plan plan) {
    Long nonce = job.getSpec().restore == null ? null : job.getSpec().restore.redeployNonce;
    if (nonce == null || status.redeploy != null && nonce.equals(status.redeploy.lastNonce)) {
      return false;
    }
    status.redeploy = new RedeployStatus();
    status.redeploy.lastNonce = nonce;
    status.redeploy.path = job.getSpec().restore.path;
    if (!observation.hasCoordinator()) {
      status.redeploy.jobId = status.jobId;
      return false;
    }
    status.jobId = StatusBuilder.jobIdFor(job) + "-r" + nonce;
    status.checkpoints = null; // the new job id has none yet: none is expected
    status.redeploy.jobId = status.jobId;
    plan.normal(
        "Redeploying",
        "redeploying from "
            + status.redeploy.path
            + " (restore.redeployNonce "
            + nonce
            + ") under job id "
            + status.jobId);
    return true;
  }

  /**
   * Whether the pods change only to restart ({@code restartNonce}, or a stall of the checkpoints):
   * from the latest checkpoint whatever the upgrade mode, as no spec change comes with it.
   */
  private static boolean restartOnly(DesiredResources desired, Observation observation) {
    return observation
        .workers()
        .map(deployed -> !rollsPods(desired.withRestartsOf(deployed), observation))
        .orElse(false);
  }

  private static Duration checkpointMaxAge(StateJob job, RuntimeConfig runtime) {
    return CheckpointProgress.maxAge(
        job.getSpec().checkpoints == null ? null : job.getSpec().checkpoints.maxAge,
        runtime.get(RuntimeOptions.CHECKPOINT_INTERVAL),
        runtime.get(RuntimeOptions.CHECKPOINT_TIMEOUT));
  }

  private static UpgradeMode upgradeMode(StateJob job) {
    return job.getSpec().upgradeMode == null ? UpgradeMode.LAST_STATE : job.getSpec().upgradeMode;
  }

  /** The events that the change from {@code before} to {@code after} deserves. */
  private static void events(StateJobStatus before, StateJobStatus after, Plan plan) {
    // a new reason why the job is not ready that is no phase: a failure or a pod problem
    Conditions.find(after.conditions, Conditions.READY)
        .filter(c -> "False".equals(c.getStatus()) && !Conditions.isPhase(c.getReason()))
        .filter(
            c ->
                !Conditions.find(before.conditions, Conditions.READY)
                    .map(was -> c.getReason().equals(was.getReason()))
                    .orElse(false))
        .ifPresent(c -> plan.warning(c.getReason(), c.getMessage()));
    Conditions.find(after.conditions, Conditions.SPEC_VALID)
        .filter(c -> "False".equals(c.getStatus()))
        .filter(
            c -> !Conditions.find(before.conditions, Conditions.SPEC_VALID).equals(Optional.of(c)))
        .ifPresent(c -> plan.warning("InvalidSpec", c.getMessage()));
    long stallsBefore =
        before.stalls == null || before.stalls.restarts == null ? 0 : before.stalls.restarts;
    if (after.stalls != null
        && after.stalls.restarts != null
        && after.stalls.restarts > stallsBefore) {
      plan.warning(
          "CheckpointStalled",
          Conditions.find(after.conditions, Conditions.CHECKPOINTS_HEALTHY)
                  .map(c -> c.getMessage())
                  .orElse("no checkpoint completed")
              + "; restarting the job from its latest checkpoint");
    }
    CheckpointsStatus was = before.checkpoints;
    CheckpointsStatus now = after.checkpoints;
    if (now == null) {
      return;
    }
    long failedBefore = was == null || was.failed == null ? 0 : was.failed;
    if (now.failed != null && now.failed > failedBefore) {
      plan.warning("CheckpointFailed", (now.failed - failedBefore) + " checkpoint(s) failed");
    }
    if (now.restoredFrom != null
        && (was == null
            || was.restoredFrom == null
            || !Objects.equals(was.restoredFrom.id, now.restoredFrom.id)
            || !Objects.equals(was.restoredFrom.at, now.restoredFrom.at))) {
      plan.normal(
          "Restored",
          "restored from checkpoint " + now.restoredFrom.id + " at " + now.restoredFrom.path);
    }
  }

  private static StateJob withStatus(StateJob job, StateJobStatus status) {
    StateJob copy = JSON.convertValue(job, StateJob.class);
    copy.setStatus(status);
    return copy;
  }
}
