package io.statejob.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.statejob.api.config.ConfigValues;
import io.statejob.api.model.CheckpointInfo;
import io.statejob.api.model.CheckpointsStatus;
import io.statejob.api.model.JobPhase;
import io.statejob.api.model.SavepointsSpec;
import io.statejob.api.model.SavepointsStatus;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobSpec;
import io.statejob.api.model.StateJobStatus;
import io.statejob.api.protocol.SnapshotReport;
import io.statejob.api.protocol.SnapshotRequest;
import io.statejob.operator.observer.Observation;
import io.statejob.operator.status.CheckpointProgress;
import io.statejob.operator.status.Conditions;
import io.statejob.operator.status.StatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The snapshots the operator asks a job's coordinator for: a savepoint per new {@code
 * savepointTriggerNonce} and before the pods change in {@code upgradeMode: savepoint}, and a
 * checkpoint per new {@code checkpoints.triggerNonce}. A request is named after its cause ({@code
 * nonce-<n>}, {@code upgrade-<generation>}, {@code checkpoint-nonce-<n>}). Pure: how each request
 * stands comes from the coordinator's report in the observation, and a request still to make, an
 * event or a savepoint to dispose of goes into the {@link Plan}; the coordinator takes one snapshot
 * per name, so a request made again after a crash is harmless.
 */
final class SnapshotTrigger {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SnapshotTrigger() {}

  /** A snapshot a nonce of the spec asks for, and where status records the nonce acted on. */
  private record NonceKind(
      String field,
      Function<StateJobSpec, Long> nonce,
      Function<StateJobStatus, Long> actedOn,
      BiConsumer<StateJobStatus, Long> actOn,
      String requestPrefix,
      String path) {}

  private static final NonceKind SAVEPOINT_NONCE =
      new NonceKind(
          "savepointTriggerNonce",
          spec -> spec.savepointTriggerNonce,
          status -> status.savepoints == null ? null : status.savepoints.lastTriggerNonce,
          (status, nonce) -> savepointsOf(status).lastTriggerNonce = nonce,
          "nonce-",
          "/savepoints");

  private static final NonceKind CHECKPOINT_NONCE =
      new NonceKind(
          "checkpoints.triggerNonce",
          spec -> spec.checkpoints == null ? null : spec.checkpoints.triggerNonce,
          status -> status.checkpoints == null ? null : status.checkpoints.lastTriggerNonce,
          (status, nonce) -> checkpointsOf(status).lastTriggerNonce = nonce,
          "checkpoint-nonce-",
          "/checkpoints");

  /** Where a nonce's request stands: still to come, or ended with the coordinator's report. */
  private record NonceRequest(boolean pending, SnapshotReport ended) {
    static final NonceRequest NONE = new NonceRequest(false, null);
    static final NonceRequest PENDING = new NonceRequest(true, null);
  }

  /**
   * Acts on a {@code savepointTriggerNonce} not acted on yet, recording the outcome in {@code
   * status}.
   *
   * @return whether a savepoint is still to come, so the job should be looked at again soon
   */
  static boolean onSavepointNonce(
      StateJob job, Observation observation, StateJobStatus status, Plan plan) {
    NonceRequest request = onNonce(SAVEPOINT_NONCE, job, observation, status, plan);
    if (request.ended() != null) {
      SavepointsStatus savepoints = savepointsOf(status);
      if (request.ended().state() == SnapshotReport.State.FAILED) {
        failed(plan, savepoints, request.ended().failure(), "");
      } else {
        completed(
            plan,
            savepoints,
            request.ended(),
            "requested by savepointTriggerNonce " + job.getSpec().savepointTriggerNonce);
      }
    }
    return request.pending();
  }

  /**
   * Acts on a {@code checkpoints.triggerNonce} not acted on yet: a checkpoint now. It appears in
   * {@code status.checkpoints} as any other; an event says it was the one asked for.
   *
   * @return whether the checkpoint is still to come
   */
  static boolean onCheckpointNonce(
      StateJob job, Observation observation, StateJobStatus status, Plan plan) {
    NonceRequest request = onNonce(CHECKPOINT_NONCE, job, observation, status, plan);
    SnapshotReport ended = request.ended();
    if (ended != null && ended.state() == SnapshotReport.State.FAILED) {
      plan.warning("CheckpointFailed", "the checkpoint asked for failed: " + ended.failure());
    } else if (ended != null) {
      plan.normal(
          "CheckpointCompleted",
          "checkpoint "
              + ended.snapshot().id
              + " requested by checkpoints.triggerNonce "
              + job.getSpec().checkpoints.triggerNonce
              + " at "
              + ended.snapshot().path);
    }
    return request.pending();
  }

  private static NonceRequest onNonce(
      NonceKind kind, StateJob job, Observation observation, StateJobStatus status, Plan plan) {
    Long nonce = kind.nonce().apply(job.getSpec());
    if (nonce == null || nonce.equals(kind.actedOn().apply(status))) {
      return NonceRequest.NONE;
    }
    if (!observation.hasCoordinator()) {
      kind.actOn().accept(status, nonce); // nothing runs yet, so there is no state to snapshot
      return NonceRequest.NONE;
    }
    if (observation.checkpoints().isEmpty()) {
      // the job does not run: the nonce waits for it, watched closely only while it starts
      return Boolean.TRUE.equals(job.getSpec().suspend) ? NonceRequest.NONE : NonceRequest.PENDING;
    }
    Optional<SnapshotReport> report =
        request(
            observation,
            kind.path(),
            new SnapshotRequest(kind.requestPrefix() + nonce, false),
            plan);
    if (report.isEmpty() || report.get().state() == SnapshotReport.State.IN_PROGRESS) {
      return NonceRequest.PENDING;
    }
    kind.actOn().accept(status, nonce);
    return new NonceRequest(false, report.get());
  }

  /**
   * Whether the pods of a job in {@code upgradeMode: savepoint} may change now: once the upgrade's
   * savepoint completed, or at once when no savepoint can be taken because the job does not run.
   * The savepoint stops the job (and drains it with {@code job.drain}), so the old pods process
   * nothing the new ones process again. A failed savepoint is reported and taken again; the
   * coordinator restarts the old pods' job from its latest checkpoint meanwhile.
   */
  static boolean readyToUpgrade(
      StateJob job, Observation observation, StateJobStatus status, Plan plan) {
    long generation = StatusBuilder.generationOf(job);
    return stoppedWithSavepoint(
        job,
        observation,
        status,
        plan,
        upgradeRequest(job),
        "the upgrade to generation " + generation,
        " (upgradeMode: last-state would upgrade from the latest checkpoint instead)");
  }

  /** The name of the savepoint request that stops the job before its current generation's pods. */
  static String upgradeRequest(StateJob job) {
    return "upgrade-" + StatusBuilder.generationOf(job);
  }

  /**
   * Whether the job's pods may stop for its deletion ({@code savepoints.onDelete}): once its final
   * savepoint completed, or at once when the job does not run.
   */
  static boolean readyToDelete(
      StateJob job, Observation observation, StateJobStatus status, Plan plan) {
    return stoppedWithSavepoint(
        job, observation, status, plan, "delete-" + job.getMetadata().getUid(), "the deletion", "");
  }

  /**
   * Asks the coordinator to stop the job with savepoint {@code requestId}, before {@code purpose},
   * and reports whether it has: a failure is reported and asked again.
   */
  private static boolean stoppedWithSavepoint(
      StateJob job,
      Observation observation,
      StateJobStatus status,
      Plan plan,
      String requestId,
      String purpose,
      String alternative) {
    if (observation.checkpoints().isEmpty()) {
      JobPhase was = job.getStatus() == null ? null : job.getStatus().phase;
      if (was != JobPhase.Suspended) {
        plan.warning(
            "SavepointSkipped",
            "the coordinator does not answer, so no savepoint can be taken before "
                + purpose
                + "; the latest checkpoint is the job's last state");
      }
      return true;
    }
    boolean drain = Boolean.TRUE.equals(job.getSpec().job.drain);
    Optional<SnapshotReport> report =
        request(
            observation,
            SAVEPOINT_NONCE.path(),
            new SnapshotRequest(requestId, true, true, drain),
            plan);
    if (report.isEmpty()) {
      return false;
    }
    SavepointsStatus savepoints = savepointsOf(status);
    if (report.get().failure() != null) {
      failed(
          plan,
          savepoints,
          report.get().failure(),
          "; another is taken before " + purpose + alternative);
    }
    if (report.get().state() != SnapshotReport.State.COMPLETED) {
      return false;
    }
    completed(
        plan,
        savepoints,
        report.get(),
        (drain ? "drained and stopped the job" : "stopped the job") + " before " + purpose);
    return true;
  }

  /**
   * Takes a savepoint when the last one is {@code spec.savepoints.interval} old, while the job
   * runs; the request is named after the time it fell due, so it is taken once.
   *
   * @return whether the savepoint is still to come
   */
  static boolean onPeriodic(
      StateJob job, Observation observation, StateJobStatus status, Instant now, Plan plan) {
    SavepointsSpec spec = job.getSpec().savepoints;
    if (spec == null || spec.interval == null || status.phase != JobPhase.Running) {
      return false;
    }
    Duration every = ConfigValues.parseDuration(spec.interval);
    Optional<Instant> since =
        Stream.of(
                status.savepoints == null || status.savepoints.latest == null
                    ? null
                    : status.savepoints.latest.completedAt,
                Conditions.find(status.conditions, Conditions.READY)
                    .map(Condition::getLastTransitionTime)
                    .orElse(null))
            .flatMap(time -> CheckpointProgress.parse(time).stream())
            .max(Instant::compareTo);
    if (since.isEmpty() || since.get().plus(every).isAfter(now)) {
      return false;
    }
    // named after when it fell due, which stays the same until it completes
    String requestId = "periodic-" + since.get().plus(every).toEpochMilli();
    Optional<SnapshotReport> report =
        request(observation, SAVEPOINT_NONCE.path(), new SnapshotRequest(requestId, false), plan);
    if (report.isEmpty() || report.get().state() == SnapshotReport.State.IN_PROGRESS) {
      return true;
    }
    if (report.get().state() == SnapshotReport.State.FAILED) {
      failed(plan, savepointsOf(status), report.get().failure(), "");
    } else {
      completed(plan, savepointsOf(status), report.get(), "every " + spec.interval);
    }
    return false;
  }

  /**
   * The savepoints in history beyond {@code spec.savepoints.maxCount} or older than {@code maxAge},
   * oldest first, to dispose of: the coordinator deletes the files, then the entry goes (see {@link
   * StateJobReconciler}). The newest savepoint and the one the job last restored from are never
   * disposed of.
   */
  static List<CheckpointInfo> expired(
      StateJob job, Observation observation, StateJobStatus status, Instant now) {
    SavepointsSpec spec = job.getSpec().savepoints;
    if (spec == null
        || spec.maxCount == null && spec.maxAge == null
        || status.savepoints == null
        || observation.checkpoints().isEmpty()) {
      return List.of();
    }
    List<CheckpointInfo> history = status.savepoints.history;
    String restoredFrom =
        status.checkpoints == null || status.checkpoints.restoredFrom == null
            ? null
            : status.checkpoints.restoredFrom.path;
    int excess = spec.maxCount == null ? 0 : history.size() - spec.maxCount;
    List<CheckpointInfo> expired = new ArrayList<>();
    for (int i = 0; i < history.size() - 1; i++) {
      CheckpointInfo savepoint = history.get(i);
      boolean tooOld =
          spec.maxAge != null
              && CheckpointProgress.parse(savepoint.completedAt)
                  .map(at -> at.plus(ConfigValues.parseDuration(spec.maxAge)).isBefore(now))
                  .orElse(false);
      if ((i < excess || tooOld) && !savepoint.path.equals(restoredFrom)) {
        expired.add(savepoint);
      }
    }
    return expired;
  }

  /**
   * How request {@code request} stands in the coordinator's report; when the coordinator does not
   * know it yet, or it failed and is to be retried, the request goes into the plan. Empty while the
   * coordinator has not reported it, which callers treat as in progress.
   */
  private static Optional<SnapshotReport> request(
      Observation observation, String path, SnapshotRequest request, Plan plan) {
    Optional<SnapshotReport> known =
        observation
            .checkpoints()
            .flatMap(
                report ->
                    path.equals(SAVEPOINT_NONCE.path())
                        ? report.savepointRequest(request.requestId())
                        : report.checkpointRequest(request.requestId()));
    boolean retry =
        known.isPresent()
            && known.get().state() == SnapshotReport.State.FAILED
            && request.retryFailed();
    if (known.isEmpty() || retry) {
      plan.requestSnapshot(path, request);
    }
    return known;
  }

  /** Records a failure, with an event the first time it is seen. */
  private static void failed(Plan plan, SavepointsStatus savepoints, String failure, String next) {
    if (!failure.equals(savepoints.lastFailure)) {
      plan.warning("SavepointFailed", failure + next);
    }
    savepoints.lastFailure = failure;
  }

  private static void completed(
      Plan plan, SavepointsStatus savepoints, SnapshotReport report, String cause) {
    savepoints.lastFailure = null;
    boolean isNew =
        savepoints.latest == null || !Objects.equals(savepoints.latest.id, report.snapshot().id);
    savepoints.latest = report.snapshot();
    if (savepoints.history.stream().noneMatch(s -> s.path.equals(report.snapshot().path))) {
      CheckpointInfo entry = JSON.convertValue(report.snapshot(), CheckpointInfo.class);
      entry.trigger = report.requestId();
      savepoints.history.add(entry);
    }
    if (isNew) {
      plan.normal(
          "SavepointCompleted",
          "savepoint " + report.snapshot().id + " " + cause + " at " + report.snapshot().path);
    }
  }

  private static CheckpointsStatus checkpointsOf(StateJobStatus status) {
    if (status.checkpoints == null) {
      status.checkpoints = new CheckpointsStatus();
    }
    return status.checkpoints;
  }

  private static SavepointsStatus savepointsOf(StateJobStatus status) {
    if (status.savepoints == null) {
      status.savepoints = new SavepointsStatus();
    }
    return status.savepoints;
  }
}
