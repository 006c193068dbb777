package io.statejob.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.statejob.api.model.CheckpointInfo;
import io.statejob.api.model.SavepointsStatus;
import io.statejob.api.model.StateJob;
import io.statejob.operator.observer.CoordinatorClient;
import io.statejob.operator.observer.Observation;
import io.statejob.operator.resources.DesiredResources;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link Plan} once its status is written: the events, the snapshot requests, a
 * resume, the resources, then the disposal of expired savepoints, whose outcome is written to
 * status after it (an entry goes only once its files are gone).
 */
final class PlanActions {
  private static final Logger LOG = LoggerFactory.getLogger(PlanActions.class);

  private final CoordinatorClient coordinator;
  private final ResourceApplier applier;
  private final EventRecorder events;

  PlanActions(CoordinatorClient coordinator, ResourceApplier applier, EventRecorder events) {
    this.coordinator = coordinator;
    this.applier = applier;
    this.events = events;
  }

  /**
   * @param job the job with the plan's status written
   */
  void carryOut(StateJob job, Plan plan, Observation observation, Context<StateJob> context) {
    recordEvents(job, plan);
    requestSnapshots(plan, observation);
    plan.resumeFrom().ifPresent(savepoint -> resume(job, observation, savepoint));
    plan.legacyCoordinatorToDelete().ifPresent(legacy -> replaceLegacyCoordinator(job, legacy));
    plan.resourcesToApply().ifPresent(desired -> apply(job, desired, context));
    disposeExpired(job, plan, observation, context);
  }

  void recordEvents(StateJob job, Plan plan) {
    for (Plan.Event event : plan.events()) {
      if (event.warning()) {
        events.warning(job, event.reason(), event.message());
      } else {
        events.normal(job, event.reason(), event.message());
      }
    }
  }

  /**
   * Sends the plan's snapshot requests; how each goes is read from the coordinator's report at the
   * next reconcile. One that does not arrive is sent again then.
   */
  void requestSnapshots(Plan plan, Observation observation) {
    for (Plan.SnapshotAsk ask : plan.snapshotRequests()) {
      coordinator.snapshot(observation.api(), ask.path(), ask.request());
    }
  }

  private void resume(StateJob job, Observation observation, String savepoint) {
    Optional<String> failure = coordinator.resume(observation.api());
    if (failure.isEmpty()) {
      events.normal(
          job,
          "Resumed",
          "the job stopped with savepoint "
              + savepoint
              + " for a change that no longer applies; it resumes from that savepoint");
    } else {
      LOG.atWarn()
          .addKeyValue("job", qualifiedName(job))
          .addKeyValue("reason", failure.get())
          .log("cannot resume the stopped job; trying again at the next reconcile");
    }
  }

  /**
   * Deletes the coordinator Deployment an earlier operator version made, before its StatefulSet is
   * applied. Its pod may still be stopping when the new one starts: the new coordinator's fence in
   * checkpoint storage stops the old one from completing another checkpoint.
   */
  private void replaceLegacyCoordinator(StateJob job, Deployment legacy) {
    LOG.atInfo()
        .addKeyValue("job", qualifiedName(job))
        .log(
            "replacing the coordinator Deployment of an earlier operator version by a StatefulSet");
    applier.delete(legacy);
  }

  private void apply(StateJob job, DesiredResources desired, Context<StateJob> context) {
    int written = 0;
    for (HasMetadata resource : desired.inApplyOrder()) {
      written += applier.apply(resource, context) ? 1 : 0;
    }
    if (written > 0) {
      LOG.atInfo()
          .addKeyValue("job", qualifiedName(job))
          .addKeyValue("written", written)
          .log("applied resources");
    }
  }

  /**
   * Has the coordinator delete the plan's expired savepoints, oldest first, and writes the outcome
   * to status: a disposed savepoint leaves the history; a failed disposal keeps its entry, is
   * reported, and is tried again at the next reconcile.
   */
  private void disposeExpired(
      StateJob job, Plan plan, Observation observation, Context<StateJob> context) {
    if (plan.disposals().isEmpty()) {
      return;
    }
    SavepointsStatus savepoints = plan.status().savepoints;
    String failed = null;
    for (CheckpointInfo savepoint : plan.disposals()) {
      Optional<String> failure = coordinator.disposeSavepoint(observation.api(), savepoint.path);
      if (failure.isPresent()) {
        failed = "cannot dispose of savepoint " + savepoint.path + ": " + failure.get();
        if (!failed.equals(savepoints.lastDisposalFailure)) {
          events.warning(job, "SavepointDisposalFailed", failed + "; tried again");
        }
        break; // the entry stays until its files are gone
      }
      savepoints.history.removeIf(s -> s.path.equals(savepoint.path));
      events.normal(job, "SavepointDisposed", "disposed of savepoint " + savepoint.path);
    }
    savepoints.lastDisposalFailure = failed;
    StateJobReconciler.patchStatusIfChanged(job, context, plan.status());
  }

  private static String qualifiedName(StateJob job) {
    return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }
}
