package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.checkpoint.WorkerGateway;
import io.statejob.runtime.state.StateBackend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Workers as threads of this JVM: local mode. */
public final class LocalWorkers implements WorkerPool {
  private static final long STOP_TIMEOUT_MS = 30_000;

  private final JobProgram program;
  private final RuntimeConfig config;
  private final StateBackend backend;
  private volatile List<Worker> workers = List.of();

  /** What the workers of ended attempts did, by subtask. */
  private final Map<Integer, WorkerRecords> endedRecords = new TreeMap<>();

  public LocalWorkers(JobProgram program, RuntimeConfig config, StateBackend backend) {
    this.program = program;
    this.config = config;
    this.backend = backend;
  }

  @Override
  public List<WorkerGateway> start(Attempt attempt) throws IOException {
    if (attempt.number() == 0) {
      // left by an earlier run of this JVM's job that did not end cleanly
      backend.discardLocalState(config.get(RuntimeOptions.JOB_ID));
    }
    List<Worker> started = new ArrayList<>();
    for (int i = 0; i < attempt.parallelism(); i++) {
      started.add(
          new Worker(
              new WorkerSetup(
                  i,
                  attempt.parallelism(),
                  program,
                  backend,
                  attempt.storage(),
                  attempt.restore(),
                  config,
                  attempt.coordinator())));
    }
    workers = List.copyOf(started);
    started.forEach(Worker::start);
    return List.copyOf(started);
  }

  @Override
  public void stop(boolean cancel) throws InterruptedException {
    List<Worker> stopping = workers;
    for (Worker worker : stopping) {
      if (cancel) {
        worker.cancel();
      } else {
        worker.stop();
      }
    }
    for (int i = 0; i < stopping.size(); i++) {
      stopping.get(i).join(STOP_TIMEOUT_MS);
      synchronized (endedRecords) {
        endedRecords.merge(i, stopping.get(i).records(), WorkerRecords::plus);
      }
    }
  }

  /** What each worker read and processed over the attempts that ended, by subtask index. */
  public List<WorkerRecords> recordsPerWorker() {
    synchronized (endedRecords) {
      return List.copyOf(endedRecords.values());
    }
  }

  @Override
  public long recordsProcessed() {
    return workers.stream().mapToLong(Worker::recordsProcessed).sum();
  }

  @Override
  public long lateRecordsDropped() {
    return workers.stream().mapToLong(Worker::lateRecordsDropped).sum();
  }
}
