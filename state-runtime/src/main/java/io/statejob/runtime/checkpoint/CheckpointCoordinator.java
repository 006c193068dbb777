package io.statejob.runtime.checkpoint;

import io.statejob.runtime.concurrent.DaemonThreads;
import io.statejob.runtime.snapshot.CheckpointMetadata;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.CorruptCheckpointException;
import io.statejob.runtime.snapshot.MetadataCodec;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.SourcePosition;
import io.statejob.runtime.snapshot.StopMode;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.snapshot.UnsupportedCheckpointFormatException;
import io.statejob.runtime.snapshot.WorkerAck;
import io.statejob.runtime.storage.CheckpointStorage;
import io.statejob.runtime.storage.CoordinatorFence;
import io.statejob.runtime.storage.SnapshotDirectory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Triggers checkpoints, collects acknowledgements, completes checkpoints by writing their metadata
 * last, and aborts those that fail or time out. Savepoints go the same way, on request, one
 * snapshot at a time: a savepoint asked for during a checkpoint waits for it. A savepoint that
 * stops the job ({@link StopMode}) ends checkpointing until the next attempt; every later savepoint
 * request is answered with it, as the state cannot change any more. All its state is confined to
 * one thread; workers' messages are queued onto it.
 */
public final class CheckpointCoordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);

  /** What the coordinator tells the job around it. */
  public interface Events {
    void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs);

    void checkpointFailed(long checkpointId, String reason);

    /** More consecutive checkpoints failed than tolerated: the job should restart. */
    void tooManyFailedCheckpoints(String lastReason);

    /** The checkpoint taken after every worker's source ended has completed. */
    void finalCheckpointCompleted(CompletedCheckpoint checkpoint);

    /** A coordinator that started later took the job over: this one must stop. */
    void fenced(String reason);

    default void savepointCompleted(CompletedCheckpoint savepoint, long durationMs) {}

    /** A savepoint that stops the job completed: the workers process nothing more. */
    default void stoppedWithSavepoint(CompletedCheckpoint savepoint) {}

    /**
     * A savepoint that stops the job failed after the workers' sources had stopped: the job must
     * restart to go on.
     */
    default void stopWithSavepointFailed(String reason) {}
  }

  private final CheckpointSettings settings;
  private final CheckpointStorage storage;
  private final CompletedCheckpointStore store;
  private final Events events;
  private final ScheduledExecutorService thread = DaemonThreads.scheduler("checkpoint-coordinator");

  private List<WorkerGateway> workers = List.of();
  private boolean[] finished = new boolean[0];
  private PendingCheckpoint pending;
  private CompletableFuture<CompletedCheckpoint> requestedSavepoint;
  private StopMode requestedStop = StopMode.NONE;

  /** When the snapshot in progress was triggered (epoch millis), 0 when none is; for metrics. */
  private volatile long inProgressSince;

  /** The savepoint the current attempt stopped with, or null while it runs. */
  private CompletedCheckpoint stoppedWith;

  private CompletableFuture<CompletedCheckpoint> requestedCheckpoint;
  private ScheduledFuture<?> periodic;
  private int consecutiveFailures;

  /**
   * Aborted snapshots to delete again after the next completion: a worker may still be writing an
   * aborted snapshot's files, or the storage may have been unreachable. Once a later snapshot
   * completes, every worker's snapshot writer is past the aborted one.
   */
  private final Set<SnapshotDirectory> abortedToDelete = new LinkedHashSet<>();

  public CheckpointCoordinator(
      CheckpointSettings settings,
      CheckpointStorage storage,
      CompletedCheckpointStore store,
      Events events) {
    this.settings = settings;
    this.storage = storage;
    this.store = store;
    this.events = events;
  }

  /** One checkpoint or savepoint in progress. */
  private static final class PendingCheckpoint {
    final long id;
    final SnapshotType type;
    final StopMode stop;
    final long triggeredAt = System.currentTimeMillis();
    final WorkerAck[] acks;
    final boolean isFinal;

    /** Completed with the snapshot for whoever asked for it; null when nobody did. */
    final CompletableFuture<CompletedCheckpoint> requester;

    int ackCount;
    ScheduledFuture<?> timeout;

    PendingCheckpoint(
        long id,
        int parallelism,
        boolean isFinal,
        SnapshotType type,
        StopMode stop,
        CompletableFuture<CompletedCheckpoint> requester) {
      this.id = id;
      this.type = type;
      this.stop = stop;
      this.acks = new WorkerAck[parallelism];
      this.isFinal = isFinal;
      this.requester = requester;
    }
  }

  /**
   * Prepares for the workers of a new attempt, before they start: a worker whose bounded source is
   * empty may report that it finished before {@link #start} is called.
   */
  public void expect(int parallelism) {
    runOnThread(() -> finished = new boolean[parallelism]);
  }

  /** Starts checkpointing the workers of the attempt announced by {@link #expect}. */
  public void start(List<WorkerGateway> attemptWorkers) {
    runOnThread(
        () -> {
          workers = List.copyOf(attemptWorkers);
          stoppedWith = null;
          long interval = settings.interval().toMillis();
          periodic =
              thread.scheduleWithFixedDelay(
                  this::trigger, interval, interval, TimeUnit.MILLISECONDS);
          if (allFinished()) {
            trigger();
          }
        });
  }

  /** Stops checkpointing the current workers; a checkpoint or savepoint in progress is aborted. */
  public void stop() {
    runOnThread(
        () -> {
          if (periodic != null) {
            periodic.cancel(false);
          }
          workers = List.of();
          if (pending != null) {
            abort(pending, "the job is restarting or stopping", false);
          }
          failRequests("the job is restarting or stopping");
        });
  }

  /**
   * Takes a checkpoint as soon as no other snapshot is in progress: the first checkpoint that
   * starts after the request. Requests while one waits join it.
   *
   * @return completes with the checkpoint, or exceptionally with why it could not be taken
   */
  public CompletableFuture<CompletedCheckpoint> triggerCheckpoint() {
    return onThread(this::requestCheckpoint);
  }

  private CompletableFuture<CompletedCheckpoint> requestCheckpoint() {
    if (stoppedWith != null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "the job stopped with savepoint " + stoppedWith.path() + ": nothing to checkpoint"));
    }
    if (workers.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("the job is not running: no workers to checkpoint"));
    }
    if (requestedCheckpoint == null) {
      requestedCheckpoint = new CompletableFuture<>();
    }
    CompletableFuture<CompletedCheckpoint> checkpoint = requestedCheckpoint;
    trigger();
    return checkpoint;
  }

  /** {@code request} run on the coordinator's thread, or failed when the job is not running. */
  private CompletableFuture<CompletedCheckpoint> onThread(
      Supplier<CompletableFuture<CompletedCheckpoint>> request) {
    CompletableFuture<CompletableFuture<CompletedCheckpoint>> answer = new CompletableFuture<>();
    try {
      thread.execute(() -> answer.complete(request.get()));
    } catch (RejectedExecutionException closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the job is not running"));
    }
    return answer.thenCompose(f -> f);
  }

  /**
   * Takes a savepoint as soon as no other snapshot is in progress. A request while one is already
   * asked for joins it; one that stops the job makes the savepoint asked for stop it too.
   *
   * @return completes with the savepoint, or exceptionally with why it could not be taken
   */
  public CompletableFuture<CompletedCheckpoint> triggerSavepoint(StopMode stop) {
    return onThread(() -> requestSavepoint(stop));
  }

  private CompletableFuture<CompletedCheckpoint> requestSavepoint(StopMode stop) {
    if (stoppedWith != null) {
      return CompletableFuture.completedFuture(stoppedWith);
    }
    if (pending != null
        && pending.type == SnapshotType.SAVEPOINT
        && (pending.stop.stops() || !stop.stops())) {
      return pending.requester;
    }
    if (requestedSavepoint == null) {
      if (workers.isEmpty()) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("the job is not running: no workers to take a savepoint"));
      }
      try {
        storage.forType(SnapshotType.SAVEPOINT);
      } catch (UnsupportedOperationException e) {
        return CompletableFuture.failedFuture(new IllegalStateException(e.getMessage(), e));
      }
      requestedSavepoint = new CompletableFuture<>();
    }
    if (stop.compareTo(requestedStop) > 0) {
      requestedStop = stop;
    }
    CompletableFuture<CompletedCheckpoint> savepoint = requestedSavepoint;
    trigger();
    return savepoint;
  }

  private void failRequests(String reason) {
    for (CompletableFuture<CompletedCheckpoint> request :
        Arrays.asList(requestedSavepoint, requestedCheckpoint)) {
      if (request != null) {
        request.completeExceptionally(new IllegalStateException(reason));
      }
    }
    requestedSavepoint = null;
    requestedStop = StopMode.NONE;
    requestedCheckpoint = null;
  }

  /** When the checkpoint or savepoint in progress was triggered (epoch millis); 0 when none is. */
  public long snapshotInProgressSince() {
    return inProgressSince;
  }

  public void acknowledge(int subtask, long checkpointId, byte[] ack) {
    thread.execute(() -> onAck(subtask, checkpointId, ack));
  }

  public void decline(int subtask, long checkpointId, String reason) {
    thread.execute(
        () -> {
          if (pending != null && pending.id == checkpointId) {
            abort(pending, "subtask " + subtask + ": " + reason, true);
          }
        });
  }

  /** A worker's bounded source ended; once all have, the final checkpoint is taken. */
  public void workerFinished(int subtask) {
    thread.execute(
        () -> {
          if (subtask < finished.length && !finished[subtask]) {
            finished[subtask] = true;
            if (allFinished()) {
              trigger();
            }
          }
        });
  }

  private boolean allFinished() {
    for (boolean f : finished) {
      if (!f) {
        return false;
      }
    }
    return finished.length > 0;
  }

  private void trigger() {
    if (pending != null || workers.isEmpty() || stoppedWith != null) {
      return;
    }
    long id = store.nextCheckpointId();
    store.reserve(id);
    // a savepoint asked for goes first; a checkpoint asked for is any checkpoint starting now
    SnapshotType type =
        requestedSavepoint != null ? SnapshotType.SAVEPOINT : SnapshotType.CHECKPOINT;
    CompletableFuture<CompletedCheckpoint> requester;
    StopMode stop = StopMode.NONE;
    if (type == SnapshotType.SAVEPOINT) {
      requester = requestedSavepoint;
      stop = requestedStop;
      requestedSavepoint = null;
      requestedStop = StopMode.NONE;
    } else {
      requester = requestedCheckpoint;
      requestedCheckpoint = null;
    }
    pending =
        new PendingCheckpoint(
            id,
            workers.size(),
            type == SnapshotType.CHECKPOINT && allFinished(),
            type,
            stop,
            requester);
    PendingCheckpoint checkpoint = pending;
    inProgressSince = checkpoint.triggeredAt;
    checkpoint.timeout =
        thread.schedule(
            () -> {
              if (pending == checkpoint) {
                abort(checkpoint, "not completed within " + settings.timeout(), true);
              }
            },
            settings.timeout().toMillis(),
            TimeUnit.MILLISECONDS);
    LOG.atDebug()
        .addKeyValue("checkpoint", id)
        .addKeyValue("type", checkpoint.type)
        .addKeyValue("stop", stop)
        .log("triggering snapshot");
    for (WorkerGateway worker : workers) {
      worker.triggerCheckpoint(id, checkpoint.type, stop);
    }
  }

  private void onAck(int subtask, long checkpointId, byte[] bytes) {
    if (pending == null || pending.id != checkpointId) {
      return; // late acknowledgement of an aborted checkpoint
    }
    WorkerAck ack;
    try {
      ack = MetadataCodec.decodeAck(bytes);
    } catch (CorruptCheckpointException | UnsupportedCheckpointFormatException e) {
      abort(
          pending,
          "subtask " + subtask + " sent an unreadable acknowledgement: " + e.getMessage(),
          true);
      return;
    }
    if (pending.acks[subtask] == null) {
      pending.acks[subtask] = ack;
      pending.ackCount++;
    }
    if (pending.ackCount == pending.acks.length) {
      complete(pending);
    }
  }

  private void complete(PendingCheckpoint checkpoint) {
    checkpoint.timeout.cancel(false);
    pending = null;
    inProgressSince = 0;
    List<SubtaskState> states = new ArrayList<>();
    Map<String, SourcePosition> splits = new TreeMap<>();
    long alignmentMillis = 0;
    for (WorkerAck ack : checkpoint.acks) {
      states.addAll(ack.stages());
      splits.putAll(ack.splits());
      alignmentMillis = Math.max(alignmentMillis, ack.alignmentMillis());
    }
    CheckpointMetadata metadata =
        new CheckpointMetadata(
            settings.jobId(),
            checkpoint.id,
            checkpoint.triggeredAt,
            System.currentTimeMillis(),
            settings.backend(),
            settings.maxParallelism(),
            checkpoint.acks.length,
            states,
            splits,
            checkpoint.isFinal,
            checkpoint.type,
            alignmentMillis);
    CompletedCheckpoint completed;
    try {
      completed = storage.forType(checkpoint.type).persist(metadata);
    } catch (CoordinatorFence.FencedException e) {
      // its files may be the newer coordinator's too (the same id): leave everything as it is
      checkpoint.timeout.cancel(false);
      periodic.cancel(false);
      events.fenced(e.getMessage());
      return;
    } catch (IOException | RuntimeException e) {
      abort(checkpoint, "cannot write its metadata to " + storage.describeFailure(e), true);
      return;
    }
    abortedToDelete.removeIf(aborted -> aborted.discardFrom(storage));
    for (WorkerGateway worker : workers) {
      worker.notifyCheckpointComplete(checkpoint.id);
    }
    long durationMs = metadata.completedAt() - metadata.triggeredAt();
    if (checkpoint.type == SnapshotType.SAVEPOINT) {
      store.addSavepoint(completed);
      events.savepointCompleted(completed, durationMs);
      if (checkpoint.stop.stops()) {
        stopped(completed);
      }
    } else {
      store.add(completed);
      consecutiveFailures = 0;
      events.checkpointCompleted(completed, durationMs);
      if (checkpoint.isFinal) {
        periodic.cancel(false); // nothing is left to checkpoint; a later trigger would leave files
        events.finalCheckpointCompleted(completed);
      }
    }
    if (checkpoint.requester != null) {
      checkpoint.requester.complete(completed);
    }
    triggerRequested();
  }

  /**
   * Ends checkpointing of the attempt: its workers process nothing more. Requests waiting are
   * answered, a savepoint with this one (the state it would hold is the same).
   */
  private void stopped(CompletedCheckpoint savepoint) {
    stoppedWith = savepoint;
    periodic.cancel(false);
    if (requestedSavepoint != null) {
      requestedSavepoint.complete(savepoint);
      requestedSavepoint = null;
      requestedStop = StopMode.NONE;
    }
    if (requestedCheckpoint != null) {
      requestedCheckpoint.completeExceptionally(
          new IllegalStateException("the job stopped with savepoint " + savepoint.path()));
      requestedCheckpoint = null;
    }
    events.stoppedWithSavepoint(savepoint);
  }

  /** A snapshot asked for while another was in progress is taken once that one ends. */
  private void triggerRequested() {
    if ((requestedSavepoint != null || requestedCheckpoint != null) && pending == null) {
      trigger();
    }
  }

  /**
   * Ends a snapshot in progress and deletes its files. A failed checkpoint counts towards the
   * tolerated failures; a failed savepoint is reported to whoever asked for it instead.
   */
  private void abort(PendingCheckpoint checkpoint, String reason, boolean countsAsFailure) {
    if (checkpoint.timeout != null) {
      checkpoint.timeout.cancel(false);
    }
    pending = null;
    inProgressSince = 0;
    SnapshotDirectory aborted = new SnapshotDirectory(checkpoint.type, checkpoint.id);
    aborted.discardFrom(storage);
    abortedToDelete.add(aborted);
    if (checkpoint.type == SnapshotType.SAVEPOINT) {
      LOG.atWarn()
          .addKeyValue("savepoint", checkpoint.id)
          .addKeyValue("stop", checkpoint.stop)
          .addKeyValue("reason", reason)
          .log("savepoint failed");
    } else if (countsAsFailure) {
      recordFailure(checkpoint.id, reason);
    }
    if (checkpoint.requester != null) {
      String what = checkpoint.type == SnapshotType.SAVEPOINT ? "savepoint " : "checkpoint ";
      checkpoint.requester.completeExceptionally(
          new IllegalStateException(what + checkpoint.id + " failed: " + reason));
    }
    if (checkpoint.stop.stops() && !workers.isEmpty()) {
      // the sources stopped at its barrier: only a restart sets them going again
      events.stopWithSavepointFailed("savepoint " + checkpoint.id + " failed: " + reason);
      return;
    }
    triggerRequested();
  }

  private void recordFailure(long checkpointId, String reason) {
    consecutiveFailures++;
    LOG.atWarn()
        .addKeyValue("checkpoint", checkpointId)
        .addKeyValue("consecutiveFailures", consecutiveFailures)
        .addKeyValue("reason", reason)
        .log("checkpoint failed");
    events.checkpointFailed(checkpointId, reason);
    // a failed final checkpoint is retried by the periodic trigger, not at once: during a
    // storage outage an immediate retry would fail in a tight loop
    if (consecutiveFailures > settings.tolerableFailures()) {
      consecutiveFailures = 0;
      events.tooManyFailedCheckpoints(reason);
    }
  }

  private void runOnThread(Runnable action) {
    try {
      thread.submit(action).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
