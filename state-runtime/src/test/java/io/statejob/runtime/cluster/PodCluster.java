package io.statejob.runtime.cluster;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.execution.JobListener;
import io.statejob.runtime.execution.JobProgram;
import io.statejob.runtime.state.StateBackends;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A coordinator process and worker processes in this JVM, talking HTTP on 127.0.0.1 as pods do.
 * Workers keep RocksDB files in directories of their own, as on their own volumes.
 */
final class PodCluster implements AutoCloseable {
  private final JobProgram program;
  private final RuntimeConfig config;
  private final Path localDirs;
  private final JobListener listener;
  private final List<WorkerProcess> workers = new ArrayList<>();
  private CoordinatorProcess coordinator;
  private int port;

  PodCluster(JobProgram program, RuntimeConfig config, Path localDirs, JobListener listener)
      throws Exception {
    this.program = program;
    this.config = config;
    this.localDirs = localDirs;
    this.listener = listener;
    startCoordinator();
    for (int i = 0; i < config.get(RuntimeOptions.PARALLELISM); i++) {
      workers.add(startWorker(i));
    }
  }

  CoordinatorProcess coordinator() {
    return coordinator;
  }

  WorkerProcess worker(int subtask) {
    return workers.get(subtask);
  }

  String coordinatorUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The worker's process ends without a word and a new one takes its place, as a pod restarts. */
  void restartWorker(int subtask) throws Exception {
    workers.get(subtask).close();
    workers.set(subtask, startWorker(subtask));
  }

  /** The coordinator's process ends and a new one starts on the same address. */
  void restartCoordinator() throws Exception {
    coordinator.close();
    startCoordinator();
  }

  private void startCoordinator() throws Exception {
    coordinator =
        new CoordinatorProcess(config, StateBackends.load(config, loader()), port, listener);
    port = coordinator.port();
  }

  private WorkerProcess startWorker(int subtask) throws Exception {
    // workers of one host each receive records on a port of their own
    RuntimeConfig own =
        config
            .with(
                RuntimeOptions.ROCKSDB_LOCAL_DIR, localDirs.resolve("worker-" + subtask).toString())
            .with(RuntimeOptions.EXCHANGE_PORT, "0");
    return new WorkerProcess(
        subtask, coordinatorUrl(), "127.0.0.1", 0, program, own, StateBackends.load(own, loader()));
  }

  private ClassLoader loader() {
    return program.classLoader();
  }

  @Override
  public void close() throws Exception {
    for (WorkerProcess worker : workers) {
      worker.close();
    }
    coordinator.close();
  }
}
