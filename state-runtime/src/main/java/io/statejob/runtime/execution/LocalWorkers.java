package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.checkpoint.WorkerGateway;
import io.statejob.runtime.exchange.LocalExchange;
import io.statejob.runtime.state.StateBackend;
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
  private volatile LocalExchange exchange;

  /** What the workers of ended attempts did, by subtask. */
  private final Map<Integer, WorkerRecords> endedRecords = new TreeMap<>();

  public LocalWorkers(JobProgram program, RuntimeConfig config, StateBackend backend) {
    this.program = program;
    this.config = config;
    this.backend = backend;
  }

  @Override
  public List<WorkerGateway> start(Attempt attempt) throws Exception {
    if (attempt.number() == 0) {
      // left by an earlier run of this JVM's job that did not end cleanly
      backend.discardLocalState(config.get(RuntimeOptions.JOB_ID));
    }
    exchange = new LocalExchange();
    List<Worker> started = new ArrayList<>();
    for (int i = 0; i < attempt.parallelism(); i++) {
      started.add(
          new Worker(
              new WorkerSetup(
                  attempt.number(),
                  i,
                  attempt.parallelism(),
                  program,
                  backend,
                  attempt.storage(),
                  attempt.restore(),
                  config,
                  attempt.coordinator(),
                  exchange)));
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
    if (exchange != null) {
      exchange.close();
    }
  }

  /** What each worker read and processed over the attempts that ended, by subtask index. */
  public List<WorkerRecords> recordsPerWorker() {
    synchronized (endedRecords) {
      return List.copyOf(endedRecords.values());
    }
  }

  @Override
  public WorkerCounters counters() {
    return workers.stream().map(Worker::counters).reduce(WorkerCounters.NONE, WorkerCounters::plus);
  }
}
