package io.statejob.runtime.execution;

import io.statejob.runtime.checkpoint.CoordinatorGateway;
import io.statejob.runtime.checkpoint.WorkerGateway;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.storage.CheckpointStorage;
import java.util.List;
import java.util.Optional;

/**
 * Where a job's workers run: threads of this JVM in local mode, worker pods in pod mode. The {@link
 * JobRunner} starts one set of workers per attempt and stops them when the attempt ends.
 */
public interface WorkerPool {

  /**
   * One attempt of the job: every worker restores the same checkpoint.
   *
   * @param number the attempt, from 0; messages of older attempts are dropped
   * @param parallelism number of workers
   * @param storage the coordinator's checkpoint storage
   * @param restore the checkpoint to restore, if any
   * @param coordinator where the workers of this attempt report
   */
  record Attempt(
      int number,
      int parallelism,
      CheckpointStorage storage,
      Optional<CompletedCheckpoint> restore,
      CoordinatorGateway coordinator) {}

  /**
   * Starts the workers of an attempt.
   *
   * @return one gateway per worker, by subtask index
   */
  List<WorkerGateway> start(Attempt attempt) throws Exception;

  /**
   * Stops the workers of the current attempt: at once when {@code cancel}, else after the messages
   * already sent to them (a finished job's last notifications).
   */
  void stop(boolean cancel) throws InterruptedException;

  /** What the current workers have done since they started, added up. */
  WorkerCounters counters();
}
