package io.statejob.runtime.checkpoint;

import io.statejob.runtime.concurrent.DaemonThreads;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Triggers checkpoints, collects acknowledgements, completes checkpoints by writing their metadata
 * last, and aborts those that fail or time out. All its state is confined to one thread; workers'
 * messages are queued onto it.
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
  }

  private final CheckpointSettings settings;
  private final CheckpointStorage storage;
  private final CompletedCheckpointStore store;
  private final Events events;
  private final ScheduledExecutorService thread = DaemonThreads.scheduler("checkpoint-coordinator");

  private List<WorkerGateway> workers = List.of();
  private boolean[] finished = new boolean[0];
  private PendingCheckpoint pending;
  private ScheduledFuture<?> periodic;
  private int consecutiveFailures;

  /**
   * Aborted checkpoints to delete again after the next completion: a worker may still be writing an
   * aborted checkpoint's files, or the storage may have been unreachable. Once a later checkpoint
   * completes, every worker's snapshot writer is past the aborted one.
   */
  private final java.util.Set<Long> abortedToDelete = new java.util.TreeSet<>();

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

  /** One checkpoint in progress. */
  private static final class PendingCheckpoint {
    final long id;
    final long triggeredAt = System.currentTimeMillis();
    final SubtaskState[] acks;
    final boolean isFinal;
    int ackCount;
    ScheduledFuture<?> timeout;

    PendingCheckpoint(long id, int parallelism, boolean isFinal) {
      this.id = id;
      this.acks = new SubtaskState[parallelism];
      this.isFinal = isFinal;
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
          long interval = settings.interval().toMillis();
          periodic =
              thread.scheduleWithFixedDelay(
                  this::trigger, interval, interval, TimeUnit.MILLISECONDS);
          if (allFinished()) {
            trigger();
          }
        });
  }

  /** Stops checkpointing the current workers; a checkpoint in progress is aborted. */
  public void stop() {
    runOnThread(
        () -> {
          if (periodic != null) {
            periodic.cancel(false);
          }
          if (pending != null) {
            abort(pending, "the job is restarting or stopping", false);
          }
          workers = List.of();
        });
  }

  /** Triggers a checkpoint now, unless one is in progress. */
  public void triggerCheckpoint() {
    thread.execute(this::trigger);
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
    if (pending != null || workers.isEmpty()) {
      return;
    }
    long id = store.nextCheckpointId();
    store.reserve(id);
    pending = new PendingCheckpoint(id, workers.size(), allFinished());
    PendingCheckpoint checkpoint = pending;
    checkpoint.timeout =
        thread.schedule(
            () -> {
              if (pending == checkpoint) {
                abort(checkpoint, "not completed within " + settings.timeout(), true);
              }
            },
            settings.timeout().toMillis(),
            TimeUnit.MILLISECONDS);
    LOG.atDebug().addKeyValue("checkpoint", id).log("triggering checkpoint");
    for (WorkerGateway worker : workers) {
      worker.triggerCheckpoint(id);
    }
  }

  private void onAck(int subtask, long checkpointId, byte[] bytes) {
    if (pending == null || pending.id != checkpointId) {
      return; // late acknowledgement of an aborted checkpoint
    }
    SubtaskState ack;
    try {
      ack = MetadataCodec.decodeAck(bytes);
    } catch (CorruptCheckpointException e) {
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
    CheckpointMetadata metadata =
        new CheckpointMetadata(
            settings.jobId(),
            checkpoint.id,
            checkpoint.triggeredAt,
            System.currentTimeMillis(),
            settings.backend(),
            settings.maxParallelism(),
            new ArrayList<>(Arrays.asList(checkpoint.acks)),
            checkpoint.isFinal);
    CompletedCheckpoint completed;
    try {
      completed = storage.persist(metadata);
    } catch (IOException | RuntimeException e) {
      discardFiles(checkpoint.id);
      abortedToDelete.add(checkpoint.id);
      recordFailure(checkpoint.id, "cannot write its metadata to " + storage.describeFailure(e));
      return;
    }
    store.add(completed);
    consecutiveFailures = 0;
    for (Long id : List.copyOf(abortedToDelete)) {
      if (discardFiles(id)) {
        abortedToDelete.remove(id);
      }
    }
    for (WorkerGateway worker : workers) {
      worker.notifyCheckpointComplete(checkpoint.id);
    }
    events.checkpointCompleted(completed, metadata.completedAt() - metadata.triggeredAt());
    if (checkpoint.isFinal) {
      periodic.cancel(false); // nothing is left to checkpoint; a later trigger would leave files
      events.finalCheckpointCompleted(completed);
    }
  }

  private void abort(PendingCheckpoint checkpoint, String reason, boolean countsAsFailure) {
    if (checkpoint.timeout != null) {
      checkpoint.timeout.cancel(false);
    }
    pending = null;
    discardFiles(checkpoint.id);
    abortedToDelete.add(checkpoint.id);
    if (countsAsFailure) {
      recordFailure(checkpoint.id, reason);
    }
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

  /** Deletes a checkpoint's files; false (and a warning) when the storage failed. */
  private boolean discardFiles(long checkpointId) {
    try {
      storage.discard(checkpointId);
      return true;
    } catch (IOException e) {
      LOG.atWarn()
          .addKeyValue("checkpoint", checkpointId)
          .addKeyValue("reason", storage.describeFailure(e))
          .log("cannot delete files of aborted checkpoint");
      return false;
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
