package io.statejob.runtime.cluster;

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
   */
  record Registration(int subtask, String url, String incarnation) {}

  /**
   * @param incarnation the registered process
   * @param attempt the attempt the worker runs, or -1 when it runs none
   * @param recordsProcessed records its current attempt processed
   * @param lateRecordsDropped late records its windows dropped
   */
  record Heartbeat(
      int attempt, String incarnation, long recordsProcessed, long lateRecordsDropped) {
    static final int IDLE = -1;
  }

  /**
   * @param attempt the attempt to run
   * @param parallelism number of workers
   * @param restorePath the checkpoint to restore, whose metadata the worker fetches from the
   *     coordinator, or null to start empty
   */
  record Assignment(int attempt, int parallelism, String restorePath) {}
}
