package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.checkpoint.WorkerGateway;
import io.statejob.runtime.state.StateBackend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Workers as threads of this JVM: local mode. */
public final class LocalWorkers implements WorkerPool {
  private static final long STOP_TIMEOUT_MS = 30_000;

  private final JobProgram program;
  private final RuntimeConfig config;
  private final StateBackend backend;
  private volatile List<Worker> workers = List.of();

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
    for (Worker worker : stopping) {
      worker.join(STOP_TIMEOUT_MS);
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
