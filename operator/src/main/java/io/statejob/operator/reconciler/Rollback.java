package io.statejob.operator.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statejob.api.config.ConfigValues;
import io.statejob.api.model.JobPhase;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobSpec;
import io.statejob.api.model.StateJobStatus;
import io.statejob.api.model.UpgradeStatus;
import io.statejob.operator.status.CheckpointProgress;
import io.statejob.operator.status.Conditions;
import io.statejob.operator.status.StatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code spec.upgrade.rollback}: a change whose pods do not run and checkpoint within {@code
 * readinessTimeout} of being applied is rolled back to the last spec the job ran and checkpointed
 * with, kept in {@code status.upgrade}; the pods restore the latest checkpoint. The spec stays as
 * the user wrote it; a new change is tried again.
 */
final class Rollback {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private Rollback() {}

  /**
   * Records the spec as stable once the job runs and completed a checkpoint with it; only for jobs
   * that ask for rollbacks, as the copy doubles the spec's size in the object.
   */
  static void observe(StateJob job, StateJobStatus status) {
    if (!enabled(job)) {
      return;
    }
    long generation = StatusBuilder.generationOf(job);
    UpgradeStatus upgrade = upgradeOf(status);
    // a checkpoint completed since this generation's pods were applied
    boolean runsWithIt =
        status.phase == JobPhase.Running
            && Objects.equals(upgrade.generation, generation)
            && status.checkpoints != null
            && status.checkpoints.latest != null
            && CheckpointProgress.parse(status.checkpoints.latest.completedAt)
                .flatMap(at -> CheckpointProgress.parse(upgrade.startedAt).map(at::isAfter))
                .orElse(false);
    if (runsWithIt
        && !Objects.equals(upgrade.rolledBackGeneration, generation)
        && !Objects.equals(upgrade.stableGeneration, generation)) {
      upgrade.stableGeneration = generation;
      upgrade.stableSpec = toJson(job.getSpec());
      upgrade.generation = null;
      upgrade.startedAt = null;
    }
  }

  /**
   * The job as its pods should run: with the stable spec when its change did not come up in time,
   * else as it is.
   */
  static StateJob effective(StateJob job, StateJobStatus status, Instant now, Plan plan) {
    long generation = StatusBuilder.generationOf(job);
    UpgradeStatus upgrade = status.upgrade;
    if (upgrade == null || upgrade.stableSpec == null) {
      return job;
    }
    if (Objects.equals(upgrade.rolledBackGeneration, generation)) {
      return withSpec(job, upgrade.stableSpec);
    }
    if (!enabled(job)
        || !Objects.equals(upgrade.generation, generation)
        || Objects.equals(upgrade.stableGeneration, generation)) {
      return job;
    }
    Duration timeout =
        job.getSpec().upgrade.readinessTimeout == null
            ? DEFAULT_TIMEOUT
            : ConfigValues.parseDuration(job.getSpec().upgrade.readinessTimeout);
    boolean late =
        CheckpointProgress.parse(upgrade.startedAt)
            .map(started -> started.plus(timeout).isBefore(now))
            .orElse(false);
    if (!late) {
      return job;
    }
    upgrade.rolledBackGeneration = generation;
    upgrade.rollbackReason =
        "generation "
            + generation
            + " did not run and complete a checkpoint within "
            + timeout.toSeconds()
            + " s: "
            + Conditions.find(status.conditions, Conditions.READY)
                .map(c -> c.getMessage())
                .orElse("not ready");
    plan.warning(
        "RolledBack",
        upgrade.rollbackReason + "; rolled back to generation " + upgrade.stableGeneration);
    return withSpec(job, upgrade.stableSpec);
  }

  /** Notes when the pods of a generation newer than the stable one were first applied. */
  static void applied(StateJob job, StateJobStatus status, Instant now) {
    if (!enabled(job)) {
      return;
    }
    long generation = StatusBuilder.generationOf(job);
    UpgradeStatus upgrade = upgradeOf(status);
    if (Objects.equals(upgrade.stableGeneration, generation)
        || Objects.equals(upgrade.rolledBackGeneration, generation)
        || Objects.equals(upgrade.generation, generation)) {
      return;
    }
    upgrade.generation = generation;
    upgrade.startedAt = now.toString();
  }

  private static boolean enabled(StateJob job) {
    return job.getSpec().upgrade != null && Boolean.TRUE.equals(job.getSpec().upgrade.rollback);
  }

  private static UpgradeStatus upgradeOf(StateJobStatus status) {
    if (status.upgrade == null) {
      status.upgrade = new UpgradeStatus();
    }
    return status.upgrade;
  }

  private static StateJob withSpec(StateJob job, String spec) {
    StateJob copy = JSON.convertValue(job, StateJob.class);
    try {
      copy.setSpec(JSON.readValue(spec, StateJobSpec.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("status.upgrade.stableSpec is not a spec", e);
    }
    return copy;
  }

  private static String toJson(StateJobSpec spec) {
    try {
      return JSON.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
