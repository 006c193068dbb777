package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.checkpoint.CheckpointCoordinator;
import io.statejob.runtime.checkpoint.CheckpointSettings;
import io.statejob.runtime.checkpoint.CheckpointStorage;
import io.statejob.runtime.checkpoint.Checkpoints;
import io.statejob.runtime.checkpoint.CompletedCheckpoint;
import io.statejob.runtime.checkpoint.CompletedCheckpointStore;
import io.statejob.runtime.checkpoint.WorkerGateway;
import io.statejob.runtime.state.StateBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job in one JVM: the coordinator and one thread per worker. Any worker failure, or too many
 * failed checkpoints, restarts every worker from the latest completed checkpoint.
 */
public final class LocalJobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(LocalJobRunner.class);
  private static final long STOP_TIMEOUT_MS = 30_000;

  private final JobProgram program;
  private final RuntimeConfig config;
  private final StateBackend backend;
  private final JobListener listener;
  private final String jobId;
  private final LinkedBlockingQueue<AttemptEvent> events = new LinkedBlockingQueue<>();
  private volatile List<Worker> workers = List.of();

  /** The running attempt; coordinator events are tagged with it on the coordinator's thread. */
  private volatile int currentAttempt;

  /** Why an attempt ended. */
  private sealed interface AttemptEvent {
    int attempt();
  }

  private record Failed(int attempt, Throwable cause) implements AttemptEvent {}

  private record Finished(int attempt, CompletedCheckpoint checkpoint) implements AttemptEvent {}

  /** Ends whichever attempt is running. */
  private record Cancelled() implements AttemptEvent {
    @Override
    public int attempt() {
      return -1;
    }
  }

  public LocalJobRunner(
      JobProgram program, RuntimeConfig config, StateBackend backend, JobListener listener) {
    this.program = program;
    this.config = config;
    this.backend = backend;
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

  /** Records processed by the current workers since they started. */
  public long recordsProcessed() {
    return workers.stream().mapToLong(Worker::recordsProcessed).sum();
  }

  /** Late records that windows dropped (no late-data sink), over the current workers. */
  public long lateRecordsDropped() {
    return workers.stream().mapToLong(Worker::lateRecordsDropped).sum();
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
    int maxAttempts = config.get(RuntimeOptions.RESTART_ATTEMPTS);
    backend.discardLocalState(jobId);
    try (CheckpointStorage storage = backend.createCheckpointStorage(jobId)) {
      CompletedCheckpointStore store =
          CompletedCheckpointStore.recover(
              storage, config.get(RuntimeOptions.RETAINED_CHECKPOINTS));
      try (CheckpointCoordinator coordinator =
          new CheckpointCoordinator(
              CheckpointSettings.from(config, jobId, backend.name()),
              storage,
              store,
              coordinatorEvents())) {
        Optional<CompletedCheckpoint> restore = restorePoint(store);
        for (int attempt = 0; ; attempt++) {
          currentAttempt = attempt;
          checkMaxParallelism(restore);
          listener.started(restore, attempt);
          List<Worker> attemptWorkers =
              startWorkers(parallelism, storage, restore, coordinator, attempt);
          AttemptEvent event = nextEvent(attempt);
          coordinator.stop();
          if (event instanceof Cancelled) {
            stopWorkers(attemptWorkers, true);
            throw new java.util.concurrent.CancellationException("job cancelled");
          }
          if (event instanceof Finished finished) {
            stopWorkers(attemptWorkers, false);
            listener.finished(finished.checkpoint());
            return finished.checkpoint();
          }
          stopWorkers(attemptWorkers, true);
          Throwable cause = ((Failed) event).cause();
          if (attempt + 1 > maxAttempts) {
            listener.failed(cause);
            throw new JobFailedException(
                "job failed after " + maxAttempts + " restarts: " + cause.getMessage(), cause);
          }
          listener.restarting(attempt + 1, cause);
          LOG.atWarn()
              .addKeyValue("attempt", attempt + 1)
              .addKeyValue("cause", cause.toString())
              .log("restarting job from the latest checkpoint");
          Thread.sleep(config.get(RuntimeOptions.RESTART_DELAY).toMillis());
          restore = restorePoint(store);
        }
      }
    }
  }

  /** The latest completed checkpoint of this job, else the configured initial restore path. */
  private Optional<CompletedCheckpoint> restorePoint(CompletedCheckpointStore store)
      throws Exception {
    if (store.latest().isPresent()) {
      return store.latest();
    }
    Optional<String> path = config.getOptional(RuntimeOptions.RESTORE_PATH);
    return path.isPresent() ? Optional.of(Checkpoints.load(path.get(), config)) : Optional.empty();
  }

  private void checkMaxParallelism(Optional<CompletedCheckpoint> restore) {
    int configured = config.get(RuntimeOptions.MAX_PARALLELISM);
    restore.ifPresent(
        checkpoint -> {
          int stored = checkpoint.metadata().maxParallelism();
          if (stored != configured) {
            throw new IllegalArgumentException(
                "maxParallelism is "
                    + configured
                    + " but checkpoint "
                    + checkpoint.path()
                    + " was taken with "
                    + stored
                    + " key groups; maxParallelism cannot change for a job's state");
          }
        });
  }

  private List<Worker> startWorkers(
      int parallelism,
      CheckpointStorage storage,
      Optional<CompletedCheckpoint> restore,
      CheckpointCoordinator coordinator,
      int attempt) {
    CoordinatorGateway gateway = gatewayFor(coordinator, attempt);
    List<Worker> started = new ArrayList<>();
    for (int i = 0; i < parallelism; i++) {
      started.add(
          new Worker(
              new WorkerSetup(
                  i, parallelism, program, backend, storage, restore, config, gateway)));
    }
    workers = List.copyOf(started);
    coordinator.start(List.<WorkerGateway>copyOf(started));
    started.forEach(Worker::start);
    return started;
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

  private void stopWorkers(List<Worker> attemptWorkers, boolean cancel)
      throws InterruptedException {
    for (Worker worker : attemptWorkers) {
      if (cancel) {
        worker.cancel();
      } else {
        worker.stop();
      }
    }
    for (Worker worker : attemptWorkers) {
      worker.join(STOP_TIMEOUT_MS);
    }
  }
}
