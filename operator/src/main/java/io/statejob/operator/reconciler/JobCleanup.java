package io.statejob.operator.reconciler;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.api.model.StateJob;
import io.statejob.operator.config.OperatorConfig;
import io.statejob.operator.observer.JobObserver;
import io.statejob.operator.observer.Observation;
import io.statejob.operator.resources.CleanupJobBuilder;
import io.statejob.operator.resources.Labels;
import io.statejob.operator.resources.ResourceNames;
import io.statejob.operator.resources.RuntimeConfigMapBuilder;
import io.statejob.operator.status.CheckpointProgress;
import io.statejob.operator.status.StatusBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the finalizer does when a StateJob is deleted, in order, each step looked at again every
 * couple of seconds: the final savepoint ({@code savepoints.onDelete}), the pods stopped, then a
 * cleanup pod deleting the job's checkpoints and shared files ({@code
 * checkpoints.cleanupOnDelete}). A failed step is reported and tried again, but never holds the
 * deletion beyond the operator's {@code cleanupTimeout}: the StateJob then goes, with a warning
 * naming what is left.
 */
final class JobCleanup {
  private final KubernetesClient client;
  private final ResourceApplier applier;
  private final OperatorConfig config;
  private final JobObserver observer;
  private final PlanActions actions;
  private final EventRecorder events;

  JobCleanup(
      KubernetesClient client,
      ResourceApplier applier,
      OperatorConfig config,
      JobObserver observer,
      PlanActions actions,
      EventRecorder events) {
    this.client = client;
    this.applier = applier;
    this.config = config;
    this.observer = observer;
    this.actions = actions;
    this.events = events;
  }

  DeleteControl cleanup(StateJob job, Context<StateJob> context) {
    boolean finalSavepoint =
        job.getSpec().savepoints != null && Boolean.TRUE.equals(job.getSpec().savepoints.onDelete);
    Optional<String> checkpoints = checkpointsToDelete(job);
    if (!finalSavepoint && checkpoints.isEmpty()) {
      return DeleteControl.defaultDelete();
    }
    Instant deletedAt =
        CheckpointProgress.parse(job.getMetadata().getDeletionTimestamp()).orElse(Instant.now());
    if (Instant.now().isAfter(deletedAt.plus(config.cleanupWithin()))) {
      events.warning(
          job,
          "CleanupAbandoned",
          "the deletion's cleanup did not end within "
              + config.cleanupWithin()
              + "; the StateJob goes without it"
              + checkpoints
                  .map(dir -> ", leaving " + dir + " (statejob checkpoints delete " + dir + ")")
                  .orElse(""));
      return DeleteControl.defaultDelete();
    }
    Observation observation = observer.observe(job, context);
    Plan plan = new Plan(StatusBuilder.copyOf(job.getStatus()));
    boolean stopped =
        !finalSavepoint || SnapshotTrigger.readyToDelete(job, observation, plan.status(), plan);
    StateJob written = StateJobReconciler.patchStatusIfChanged(job, context, plan.status());
    actions.recordEvents(written, plan);
    actions.requestSnapshots(plan, observation);
    if (!stopped || !podsStopped(job, observation)) {
      return again();
    }
    if (checkpoints.isEmpty() || checkpointsDeleted(job, checkpoints.get())) {
      return DeleteControl.defaultDelete();
    }
    return again();
  }

  /** The job's checkpoint directory, when its checkpoints go with it and it has one. */
  private Optional<String> checkpointsToDelete(StateJob job) {
    if (job.getSpec().checkpoints == null
        || !Boolean.TRUE.equals(job.getSpec().checkpoints.cleanupOnDelete)
        || job.getStatus() == null
        || job.getStatus().jobId == null) {
      return Optional.empty();
    }
    return RuntimeConfigMapBuilder.runtimeConfig(job, config)
        .getOptional(RuntimeOptions.CHECKPOINTS_DIR)
        .map(dir -> dir.replaceAll("/+$", "") + "/" + job.getStatus().jobId);
  }

  /**
   * Deletes the pods' controllers and reports whether the pods are gone: no checkpoint may be
   * written while the cleanup pod deletes them.
   */
  private boolean podsStopped(StateJob job, Observation observation) {
    List<HasMetadata> controllers =
        Stream.concat(observation.coordinator().stream(), observation.workers().stream())
            .map(HasMetadata.class::cast)
            .toList();
    controllers.forEach(applier::delete);
    return controllers.isEmpty()
        && observation.pods().stream()
            .allMatch(
                pod -> Labels.CLEANUP.equals(pod.getMetadata().getLabels().get(Labels.COMPONENT)));
  }

  /**
   * Runs the cleanup pod and reports whether it deleted the checkpoints; a failed one is reported,
   * and another is started.
   */
  private boolean checkpointsDeleted(StateJob job, String directory) {
    Job cleanup =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(job.getMetadata().getNamespace())
            .withName(ResourceNames.cleanup(job))
            .get();
    if (cleanup == null) {
      client.resource(CleanupJobBuilder.build(job, config, directory)).create();
      events.normal(job, "CleanupStarted", "deleting the checkpoints under " + directory);
      return false;
    }
    if (hasCondition(cleanup, "Complete")) {
      events.normal(job, "CheckpointsDeleted", "deleted the checkpoints under " + directory);
      return true;
    }
    if (hasCondition(cleanup, "Failed")) {
      events.warning(
          job,
          "CleanupFailed",
          "the cleanup pod could not delete the checkpoints under "
              + directory
              + " (kubectl logs job/"
              + ResourceNames.cleanup(job)
              + "); trying again");
      client.resource(cleanup).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }
    return false;
  }

  private static boolean hasCondition(Job job, String type) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch((JobCondition c) -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static DeleteControl again() {
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(JobPlanner.SNAPSHOT_RECHECK);
  }
}
