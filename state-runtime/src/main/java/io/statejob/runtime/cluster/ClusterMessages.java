package io.statejob.runtime.cluster;

import io.statejob.runtime.execution.WorkerCounters;
import java.util.List;

/**
 * The JSON bodies of pod mode. Workers register with the coordinator and heartbeat; the coordinator
 * assigns every registered worker the next attempt. Checkpoint messages carry the attempt in their
 * path, so those of an older attempt are refused (409).
 */
final class ClusterMessages {
  private ClusterMessages() {}

  /**
   * @param subtask the worker's index: its StatefulSet ordinal
   * @param url where the coordinator reaches the worker
   * @param incarnation unique per worker process: a new one means the worker restarted
   * @param exchange {@code host:port} where the worker receives records from the others
   */
  record Registration(int subtask, String url, String incarnation, String exchange) {}

  /**
   * @param incarnation the registered process
   * @param attempt the attempt the worker runs, or -1 when it runs none
   * @param counters what its current attempt has done so far
   */
  record Heartbeat(int attempt, String incarnation, WorkerCounters counters) {
    static final int IDLE = -1;
  }

  /**
   * @param attempt the attempt to run
   * @param parallelism number of workers
   * @param restorePath the checkpoint to restore, whose metadata the worker fetches from the
   *     coordinator, or null to start empty
   * @param exchanges where each worker receives records, by subtask index
   */
  record Assignment(int attempt, int parallelism, String restorePath, List<String> exchanges) {}

  /**
   * @param message the worker's exception
   * @param damagedFile a file of the restored snapshot that failed its check, or null: the
   *     coordinator then restores from an older snapshot
   * @param damage what is wrong with that file
   * @param incompatibleState the state to restore does not fit the job: no restart helps
   */
  record FailureReport(
      String message, String damagedFile, String damage, boolean incompatibleState) {}
}
