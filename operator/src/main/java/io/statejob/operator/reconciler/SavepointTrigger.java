package io.statejob.operator.reconciler;

import io.statejob.api.model.JobPhase;
import io.statejob.api.model.SavepointsStatus;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobStatus;
import io.statejob.api.protocol.SavepointReport;
import io.statejob.api.protocol.SavepointRequest;
import io.statejob.operator.config.OperatorConfig;
import io.statejob.operator.observer.CoordinatorClient;
import io.statejob.operator.observer.Observation;
import io.statejob.operator.status.StatusBuilder;
import java.util.Objects;
import java.util.Optional;

/**
 * The savepoints the operator asks a job's coordinator for: one per new {@code
 * savepointTriggerNonce}, and one before the pods change in {@code upgradeMode: savepoint}. A
 * request is named after its cause ({@code nonce-<n>}, {@code upgrade-<generation>}) and repeated
 * at every reconcile until it completes; the coordinator takes one savepoint per name.
 */
final class SavepointTrigger {
  private final CoordinatorClient coordinator;
  private final OperatorConfig config;
  private final EventRecorder events;

  SavepointTrigger(CoordinatorClient coordinator, OperatorConfig config, EventRecorder events) {
    this.coordinator = coordinator;
    this.config = config;
    this.events = events;
  }

  /**
   * Acts on a nonce not acted on yet, recording the outcome in {@code status}.
   *
   * @return whether a savepoint is still to come, so the job should be looked at again soon
   */
  boolean onNonce(StateJob job, Observation observation, StateJobStatus status) {
    Long nonce = job.getSpec().savepointTriggerNonce;
    if (nonce == null
        || status.savepoints != null && nonce.equals(status.savepoints.lastTriggerNonce)) {
      return false;
    }
    SavepointsStatus savepoints = savepointsOf(status);
    if (!observation.hasCoordinator()) {
      savepoints.lastTriggerNonce = nonce; // nothing runs yet, so there is no state to save
      return false;
    }
    if (observation.checkpoints().isEmpty()) {
      // the job does not run: the nonce waits for it, watched closely only while it starts
      return !Boolean.TRUE.equals(job.getSpec().suspend);
    }
    Optional<SavepointReport> report = request(job, new SavepointRequest("nonce-" + nonce, false));
    if (report.isEmpty() || report.get().state() == SavepointReport.State.IN_PROGRESS) {
      return true;
    }
    savepoints.lastTriggerNonce = nonce;
    if (report.get().state() == SavepointReport.State.FAILED) {
      failed(job, savepoints, report.get().failure(), "");
      return false;
    }
    completed(job, savepoints, report.get(), "requested by savepointTriggerNonce " + nonce);
    return false;
  }

  /**
   * Whether the pods of a job in {@code upgradeMode: savepoint} may change now: once the upgrade's
   * savepoint completed, or at once when no savepoint can be taken because the job does not run. A
   * failed savepoint is reported and taken again; the old pods keep running meanwhile.
   */
  boolean readyToUpgrade(StateJob job, Observation observation, StateJobStatus status) {
    if (observation.checkpoints().isEmpty()) {
      JobPhase was = job.getStatus() == null ? null : job.getStatus().phase;
      if (was != JobPhase.Suspended) {
        events.warning(
            job,
            "SavepointSkipped",
            "the coordinator does not answer, so no savepoint can be taken before the upgrade;"
                + " the new pods restore the latest checkpoint");
      }
      return true;
    }
    long generation = StatusBuilder.generationOf(job);
    Optional<SavepointReport> report =
        request(job, new SavepointRequest("upgrade-" + generation, true));
    if (report.isEmpty()) {
      return false;
    }
    SavepointsStatus savepoints = savepointsOf(status);
    if (report.get().failure() != null) {
      failed(
          job,
          savepoints,
          report.get().failure(),
          "; another is taken before the upgrade (upgradeMode: last-state would upgrade from the"
              + " latest checkpoint instead)");
    }
    if (report.get().state() != SavepointReport.State.COMPLETED) {
      return false;
    }
    completed(job, savepoints, report.get(), "before the upgrade to generation " + generation);
    return true;
  }

  private Optional<SavepointReport> request(StateJob job, SavepointRequest request) {
    return coordinator.savepoint(
        config.coordinatorUrl(job.getMetadata().getNamespace(), job.getMetadata().getName()),
        request);
  }

  /** Records a failure, with an event the first time it is seen. */
  private void failed(StateJob job, SavepointsStatus savepoints, String failure, String next) {
    if (!failure.equals(savepoints.lastFailure)) {
      events.warning(job, "SavepointFailed", failure + next);
    }
    savepoints.lastFailure = failure;
  }

  private void completed(
      StateJob job, SavepointsStatus savepoints, SavepointReport report, String cause) {
    savepoints.lastFailure = null;
    boolean isNew =
        savepoints.latest == null || !Objects.equals(savepoints.latest.id, report.savepoint().id);
    savepoints.latest = report.savepoint();
    if (isNew) {
      events.normal(
          job,
          "SavepointCompleted",
          "savepoint " + report.savepoint().id + " " + cause + " at " + report.savepoint().path);
    }
  }

  private static SavepointsStatus savepointsOf(StateJobStatus status) {
    if (status.savepoints == null) {
      status.savepoints = new SavepointsStatus();
    }
    return status.savepoints;
  }
}
