package io.statejob.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.statejob.api.model.CheckpointInfo;
import io.statejob.api.model.StateJobStatus;
import io.statejob.api.protocol.SnapshotRequest;
import io.statejob.operator.resources.DesiredResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the planner decided for one job, before anything is done: the status to write first, then
 * what to do, in this order: snapshot requests to the coordinator, a resume, the objects to apply
 * (after the deletion of an earlier operator's coordinator), savepoints to dispose of, events, and
 * when to look again. Written while planning; read by the reconciler, which writes the status and
 * then acts, so an operator that stops half-way leaves a status that says what it set out to do.
 */
final class Plan {
  /** An event to record. */
  record Event(boolean warning, String reason, String message) {}

  /**
   * A snapshot to ask the coordinator for; {@code path} is {@code /savepoints} or {@code
   * /checkpoints}.
   */
  record SnapshotAsk(String path, SnapshotRequest request) {}

  private final StateJobStatus status;
  private final List<SnapshotAsk> snapshots = new ArrayList<>();
  private final List<CheckpointInfo> disposals = new ArrayList<>();
  private final List<Event> events = new ArrayList<>();
  private DesiredResources apply;
  private Deployment legacyCoordinator;
  private String resumeFrom;
  private Duration requeue;

  Plan(StateJobStatus status) {
    this.status = status;
  }

  /** The status to write before acting. */
  StateJobStatus status() {
    return status;
  }

  void requestSnapshot(String path, SnapshotRequest request) {
    snapshots.add(new SnapshotAsk(path, request));
  }

  List<SnapshotAsk> snapshotRequests() {
    return snapshots;
  }

  /** The job stopped with savepoint {@code path} for a change that no longer applies. */
  void resume(String path) {
    resumeFrom = path;
  }

  Optional<String> resumeFrom() {
    return Optional.ofNullable(resumeFrom);
  }

  /**
   * Applies {@code desired}, after deleting the coordinator Deployment of an earlier operator
   * version when there is one.
   */
  void apply(DesiredResources desired, Optional<Deployment> legacyCoordinator) {
    this.apply = desired;
    this.legacyCoordinator = legacyCoordinator.orElse(null);
  }

  Optional<DesiredResources> resourcesToApply() {
    return Optional.ofNullable(apply);
  }

  Optional<Deployment> legacyCoordinatorToDelete() {
    return Optional.ofNullable(legacyCoordinator);
  }

  void dispose(List<CheckpointInfo> savepoints) {
    disposals.addAll(savepoints);
  }

  List<CheckpointInfo> disposals() {
    return disposals;
  }

  void normal(String reason, String message) {
    events.add(new Event(false, reason, message));
  }

  void warning(String reason, String message) {
    events.add(new Event(true, reason, message));
  }

  List<Event> events() {
    return events;
  }

  void requeueAfter(Duration delay) {
    requeue = delay;
  }

  Optional<Duration> requeue() {
    return Optional.ofNullable(requeue);
  }
}
