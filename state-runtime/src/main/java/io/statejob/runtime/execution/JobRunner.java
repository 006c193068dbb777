package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.checkpoint.CheckpointCoordinator;
import io.statejob.runtime.checkpoint.CheckpointSettings;
import io.statejob.runtime.checkpoint.CompletedCheckpointStore;
import io.statejob.runtime.checkpoint.CoordinatorGateway;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.DamagedSnapshotException;
import io.statejob.runtime.snapshot.SnapshotFailures;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.StopMode;
import io.statejob.runtime.snapshot.UnsupportedCheckpointFormatException;
import io.statejob.runtime.state.StateBackend;
import io.statejob.runtime.storage.CheckpointStorage;
import io.statejob.runtime.storage.Checkpoints;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job: the checkpoint coordinator and, per attempt, a set of workers from a {@link
 * WorkerPool}. Any worker failure, or too many failed checkpoints, restarts every worker from the
 * latest completed checkpoint.
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final RuntimeConfig config;
  private final StateBackend backend;
  private final WorkerPool workers;
  private final JobListener listener;
  private final String jobId;
  private final LinkedBlockingQueue<AttemptEvent> events = new LinkedBlockingQueue<>();

  /** The running attempt; coordinator events are tagged with it on the coordinator's thread. */
  private volatile int currentAttempt;

  /** The coordinator of the latest {@link #run}; closed once the run ends. */
  private volatile CheckpointCoordinator activeCoordinator;

  /** The savepoint the running attempt stopped with, or null while it runs. */
  private volatile CompletedCheckpoint stoppedWith;

  /** Why an attempt ended. */
  private sealed interface AttemptEvent {
    int attempt();
  }

  private record Failed(int attempt, Throwable cause) implements AttemptEvent {}

  private record Finished(int attempt, CompletedCheckpoint checkpoint) implements AttemptEvent {}

  /** The job stopped with a savepoint goes on from it. */
  private record Resumed(int attempt) implements AttemptEvent {}

  /** Another coordinator took the job over. */
  private record Fenced(int attempt, String reason) implements AttemptEvent {}

  /** Ends whichever attempt is running. */
  private record Cancelled() implements AttemptEvent {
    @Override
    public int attempt() {
      return -1;
    }
  }

  public JobRunner(
      RuntimeConfig config, StateBackend backend, WorkerPool workers, JobListener listener) {
    this.config = config;
    this.backend = backend;
    this.workers = workers;
    this.listener = listener;
    this.jobId =
        config
            .getOptional(RuntimeOptions.JOB_ID)
            .orElseThrow(() -> new IllegalArgumentException("job.id is not set"));
  }

  /** Stops the job: its workers are cancelled and {@link #run} throws CancellationException. */
  public void cancel() {
    events.add(new Cancelled());
  }

  /** A job of this JVM: workers are threads (local mode). */
  public static JobRunner local(
      JobProgram program, RuntimeConfig config, StateBackend backend, JobListener listener) {
    return new JobRunner(config, backend, new LocalWorkers(program, config, backend), listener);
  }

  /**
   * Takes a savepoint of the running job; one that stops it leaves it stopped until {@link #resume}
   * or the end of the process (the operator replaces its pods), and restarts it from the latest
   * checkpoint when it fails.
   *
   * @return completes with the savepoint, or exceptionally with why none could be taken
   */
  public CompletableFuture<CompletedCheckpoint> triggerSavepoint(StopMode stop) {
    return ofRunningJob(coordinator -> coordinator.triggerSavepoint(stop));
  }

  /**
   * Starts a job that stopped with a savepoint again from that savepoint; no restart attempt is
   * used up.
   *
   * @return whether the job was stopped
   */
  public boolean resume() {
    if (stoppedWith == null) {
      return false;
    }
    events.add(new Resumed(currentAttempt));
    return true;
  }

  /** Takes a checkpoint of the running job now, or once the snapshot in progress ended. */
  public CompletableFuture<CompletedCheckpoint> triggerCheckpoint() {
    return ofRunningJob(CheckpointCoordinator::triggerCheckpoint);
  }

  /**
   * Deletes savepoint {@code path} of this job, its {@code _metadata} first: a savepoint half
   * deleted is never taken for a complete one.
   *
   * @throws IllegalArgumentException when {@code path} is no savepoint of this job
   */
  public void disposeSavepoint(String path) throws IOException {
    String name = path.substring(path.lastIndexOf('/') + 1);
    Matcher id = SnapshotType.SAVEPOINT.directoryPattern().matcher(name);
    try (CheckpointStorage storage = backend.createCheckpointStorage(jobId)) {
      CheckpointStorage savepoints = storage.forType(SnapshotType.SAVEPOINT);
      if (!id.matches() || !savepoints.snapshotPath(Long.parseLong(id.group(1))).equals(path)) {
        throw new IllegalArgumentException(path + " is no savepoint of job " + jobId);
      }
      savepoints.discard(Long.parseLong(id.group(1)));
    }
  }

  private CompletableFuture<CompletedCheckpoint> ofRunningJob(
      java.util.function.Function<CheckpointCoordinator, CompletableFuture<CompletedCheckpoint>>
          snapshot) {
    CheckpointCoordinator running = activeCoordinator;
    return running == null
        ? CompletableFuture.failedFuture(new IllegalStateException("the job is not running"))
        : snapshot.apply(running);
  }

  /** When the running job's checkpoint or savepoint in progress started (epoch millis); 0: none. */
  public long snapshotInProgressSince() {
    CheckpointCoordinator running = activeCoordinator;
    return running == null ? 0 : running.snapshotInProgressSince();
  }

  /** Records that reached the first keyed stage, over the current workers since they started. */
  public long recordsProcessed() {
    return workers.counters().recordsProcessed();
  }

  /** Late records that windows dropped (no late-data sink), over the current workers. */
  public long lateRecordsDropped() {
    return workers.counters().lateRecordsDropped();
  }

  /** What the current workers have done since they started. */
  public WorkerCounters counters() {
    return workers.counters();
  }

  /**
   * Runs the job until its bounded sources end and the final checkpoint completes.
   *
   * @return the final checkpoint
   * @throws JobFailedException when the restart attempts are used up
   * @throws java.util.concurrent.CancellationException when {@link #cancel} was called
   */
  public CompletedCheckpoint run() throws Exception {
    int parallelism = config.get(RuntimeOptions.PARALLELISM);
    RestartStrategy restarts = RestartStrategy.from(config);
    try (CheckpointStorage storage = backend.createCheckpointStorage(jobId)) {
      // before the scan: a coordinator still running completes nothing this one does not find
      long epoch = storage.fenceOthers();
      LOG.atDebug().addKeyValue("epoch", epoch).log("took the job's checkpoints over");
      CompletedCheckpointStore store = recoverStore(storage);
      try (CheckpointCoordinator coordinator =
          new CheckpointCoordinator(
              CheckpointSettings.from(config, jobId, backend.name()),
              storage,
              store,
              coordinatorEvents())) {
        activeCoordinator = coordinator;
        checkExpectedRestorePoint(store, storage);
        Optional<CompletedCheckpoint> restore = restorePoint(store);
        for (int attempt = 0; ; attempt++) {
          currentAttempt = attempt;
          long attemptStart = System.nanoTime();
          checkMaxParallelism(restore);
          listener.started(restore, attempt);
          coordinator.expect(parallelism);
          coordinator.start(
              workers.start(
                  new WorkerPool.Attempt(
                      attempt, parallelism, storage, restore, gatewayFor(coordinator, attempt))));
          AttemptEvent event = nextEvent(attempt);
          coordinator.stop();
          stoppedWith = null;
          if (event instanceof Cancelled) {
            workers.stop(true);
            throw new java.util.concurrent.CancellationException("job cancelled");
          }
          if (event instanceof Finished finished) {
            workers.stop(false);
            listener.finished(finished.checkpoint());
            return finished.checkpoint();
          }
          workers.stop(true);
          if (event instanceof Resumed) {
            LOG.atInfo().addKeyValue("attempt", attempt + 1).log("resuming the stopped job");
            restore = restorePoint(store);
            continue;
          }
          if (event instanceof Fenced fenced) {
            throw failed(JobFailedException.Reason.CoordinatorSuperseded, fenced.reason(), null);
          }
          Throwable cause = ((Failed) event).cause();
          Optional<Exception> incompatible = SnapshotFailures.incompatibility(cause);
          if (incompatible.isPresent()) {
            throw failed(
                JobFailedException.Reason.IncompatibleState,
                "the job cannot restore "
                    + restore.map(CompletedCheckpoint::path).orElse("its state")
                    + ": "
                    + incompatible.get().getMessage()
                    + " (every restart would fail the same way)",
                cause);
          }
          Optional<DamagedSnapshotException> damage =
              SnapshotFailures.find(cause, DamagedSnapshotException.class);
          if (damage.isPresent() && restore.isPresent()) {
            passOverDamaged(store, restore.get(), damage.get());
          }
          // a damaged snapshot is not the job's failure: the next restore tries an older one
          Optional<Duration> delay =
              damage.isPresent()
                  ? Optional.of(Duration.ZERO)
                  : restarts.nextDelay(Duration.ofNanos(System.nanoTime() - attemptStart));
          if (delay.isEmpty()) {
            throw failed(
                JobFailedException.Reason.RestartsExhausted,
                "job failed after " + restarts.exhausted() + ": " + cause.getMessage(),
                cause);
          }
          listener.restarting(attempt + 1, cause);
          LOG.atWarn()
              .addKeyValue("attempt", attempt + 1)
              .addKeyValue("delayMs", delay.get().toMillis())
              .addKeyValue("cause", cause.toString())
              .log("restarting job from the latest checkpoint");
          Thread.sleep(delay.get().toMillis());
          restore = restorePoint(store);
        }
      }
    }
  }

  /**
   * The newest completed checkpoint or savepoint of this job, else the configured initial restore
   * path.
   */
  private Optional<CompletedCheckpoint> restorePoint(CompletedCheckpointStore store)
      throws Exception {
    if (store.restorePoint().isPresent()) {
      return store.restorePoint();
    }
    Optional<String> path = config.getOptional(RuntimeOptions.RESTORE_PATH);
    if (path.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Checkpoints.load(path.get(), config));
    } catch (IOException e) {
      throw new IOException(
          "cannot restore from spec.restore.path ("
              + RuntimeOptions.RESTORE_PATH.key()
              + "): "
              + e.getMessage()
              + "; the job does not start from empty state instead: correct the path, or remove"
              + " it to start without state",
          e);
    }
  }

  /**
   * Refuses to start from less than the latest checkpoint the operator saw complete: a changed URI,
   * another bucket or a wiped volume would otherwise restart a long-running job from empty or older
   * state without a word. A restore path or {@code allow-empty-state} is the user's say-so.
   */
  private void checkExpectedRestorePoint(CompletedCheckpointStore store, CheckpointStorage storage)
      throws JobFailedException {
    long expected = config.get(RuntimeOptions.EXPECTED_CHECKPOINT_ID);
    long found = store.restorePoint().map(CompletedCheckpoint::id).orElse(0L);
    if (expected == 0 || found >= expected || config.get(RuntimeOptions.ALLOW_EMPTY_STATE)) {
      return;
    }
    String where =
        config
            .getOptional(RuntimeOptions.EXPECTED_CHECKPOINT_PATH)
            .map(path -> " (" + path + ")")
            .orElse("");
    if (config.getOptional(RuntimeOptions.RESTORE_PATH).isPresent()) {
      LOG.atWarn()
          .addKeyValue("expectedCheckpoint", expected + where)
          .addKeyValue("storage", storage.location())
          .log("the latest checkpoint is not in storage; restoring from the restore path");
      return;
    }
    throw failed(
        JobFailedException.Reason.RestorePointMissing,
        "the job's latest checkpoint is "
            + expected
            + where
            + ", but "
            + storage.location()
            + (found == 0 ? " holds no completed checkpoint" : " holds none newer than " + found)
            + " (was the checkpoint URI changed, or its volume or bucket emptied?); the job does"
            + " not start from "
            + (found == 0 ? "empty" : "older")
            + " state. Set spec.restore.path to the checkpoint or a savepoint to restore, or set"
            + " spec.restore.allowEmptyState: true to start without it",
        null);
  }

  /**
   * Marks the snapshots that hold the damaged file, so the next attempt restores from the newest
   * intact one; ends the job when none is left, as starting from empty state would lose the state
   * silently.
   */
  private void passOverDamaged(
      CompletedCheckpointStore store, CompletedCheckpoint restored, DamagedSnapshotException damage)
      throws JobFailedException {
    List<Long> marked = store.markDamaged(restored, damage.file());
    if (marked.isEmpty()) {
      throw failed(
          JobFailedException.Reason.SnapshotDamaged,
          "the snapshot to restore from, "
              + restored.path()
              + ", is damaged: "
              + damage.getMessage()
              + "; restore from another savepoint or checkpoint (spec.restore.path)",
          damage);
    }
    Optional<CompletedCheckpoint> next = store.restorePoint();
    if (next.isEmpty()) {
      throw failed(
          JobFailedException.Reason.SnapshotDamaged,
          "no intact checkpoint or savepoint is left (last damaged: "
              + marked
              + ", "
              + damage.getMessage()
              + "); the job stops rather than start from empty state. Check the storage, or"
              + " restore from a savepoint elsewhere (spec.restore.path)",
          damage);
    }
    LOG.atWarn()
        .addKeyValue("damagedSnapshots", marked)
        .addKeyValue("file", damage.file())
        .addKeyValue("problem", damage.problem())
        .addKeyValue("restoreFrom", next.get().path())
        .log("skipping damaged snapshots; restoring from the newest intact one");
  }

  private JobFailedException failed(
      JobFailedException.Reason reason, String message, Throwable cause) {
    JobFailedException failure = new JobFailedException(reason, message, cause);
    listener.failed(failure);
    return failure;
  }

  private void checkMaxParallelism(Optional<CompletedCheckpoint> restore)
      throws JobFailedException {
    int configured = config.get(RuntimeOptions.MAX_PARALLELISM);
    if (restore.isPresent() && restore.get().metadata().maxParallelism() != configured) {
      throw failed(
          JobFailedException.Reason.IncompatibleState,
          "maxParallelism is "
              + configured
              + " but checkpoint "
              + restore.get().path()
              + " was taken with "
              + restore.get().metadata().maxParallelism()
              + " key groups; maxParallelism cannot change for a job's state",
          null);
    }
  }

  /**
   * The store of what storage holds; a checkpoint format this runtime cannot read stops the job.
   */
  private CompletedCheckpointStore recoverStore(CheckpointStorage storage) throws Exception {
    try {
      return CompletedCheckpointStore.recover(
          storage, config.get(RuntimeOptions.RETAINED_CHECKPOINTS));
    } catch (UnsupportedCheckpointFormatException e) {
      throw failed(JobFailedException.Reason.IncompatibleState, e.getMessage(), e);
    }
  }

  /** Messages from workers of older attempts are dropped. */
  private CoordinatorGateway gatewayFor(CheckpointCoordinator coordinator, int attempt) {
    return new CoordinatorGateway() {
      @Override
      public void acknowledgeCheckpoint(int subtask, long checkpointId, byte[] ack) {
        coordinator.acknowledge(subtask, checkpointId, ack);
      }

      @Override
      public void declineCheckpoint(int subtask, long checkpointId, String reason) {
        coordinator.decline(subtask, checkpointId, reason);
      }

      @Override
      public void reportFinished(int subtask) {
        coordinator.workerFinished(subtask);
      }

      @Override
      public void reportFailure(int subtask, Throwable cause) {
        events.add(
            new Failed(
                attempt,
                new IllegalStateException("subtask " + subtask + " failed: " + cause, cause)));
      }
    };
  }

  private CheckpointCoordinator.Events coordinatorEvents() {
    return new CheckpointCoordinator.Events() {
      @Override
      public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
        listener.checkpointCompleted(checkpoint, durationMs);
      }

      @Override
      public void checkpointFailed(long checkpointId, String reason) {
        listener.checkpointFailed(checkpointId, reason);
      }

      @Override
      public void tooManyFailedCheckpoints(String lastReason) {
        events.add(
            new Failed(
                currentAttempt,
                new IllegalStateException(
                    "more consecutive checkpoints failed than "
                        + RuntimeOptions.TOLERABLE_FAILED_CHECKPOINTS.key()
                        + " allows; last: "
                        + lastReason)));
      }

      @Override
      public void finalCheckpointCompleted(CompletedCheckpoint checkpoint) {
        events.add(new Finished(currentAttempt, checkpoint));
      }

      @Override
      public void fenced(String reason) {
        events.add(new Fenced(currentAttempt, reason));
      }

      @Override
      public void savepointCompleted(CompletedCheckpoint savepoint, long durationMs) {
        listener.savepointCompleted(savepoint, durationMs);
      }

      @Override
      public void stoppedWithSavepoint(CompletedCheckpoint savepoint) {
        stoppedWith = savepoint;
        listener.stopped(savepoint);
      }

      @Override
      public void stopWithSavepointFailed(String reason) {
        events.add(
            new Failed(
                currentAttempt,
                new IllegalStateException(
                    "the sources stopped for a savepoint that then failed (" + reason + ")")));
      }
    };
  }

  private AttemptEvent nextEvent(int attempt) throws InterruptedException {
    while (true) {
      AttemptEvent event = events.take();
      if (event.attempt() == attempt || event instanceof Cancelled) {
        return event;
      }
    }
  }
}
