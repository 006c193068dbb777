package io.statejob.runtime.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.statejob.runtime.execution.JobListener;
import io.statejob.runtime.execution.WorkerRecords;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a local run did: records read (in all, and per worker), records sent between workers, what
 * each step received, and its checkpoints. {@code statejob run --summary FILE} writes it as JSON
 * when the job ends; {@code statejob bench} prints it after each run.
 *
 * @param outcome {@code finished} or {@code failed}
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record RunSummary(
    String job,
    int parallelism,
    String backend,
    String outcome,
    long durationMs,
    Records records,
    Checkpoints checkpoints) {

  /**
   * @param read records the source readers read, replays after a restore included
   * @param exchanged records sent from one worker to another
   * @param processedPerStage records each step received, over all workers
   */
  record Records(
      long read, List<Long> readPerWorker, long exchanged, Map<String, Long> processedPerStage) {}

  /**
   * @param restoredFrom the checkpoint the run started from, or null
   */
  record Checkpoints(long completed, long failed, String restoredFrom) {}

  /** Follows a run and summarizes it at its end. */
  static final class Collector implements JobListener {
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> restoredFrom = new AtomicReference<>();

    @Override
    public void started(Optional<CompletedCheckpoint> restored, int attempt) {
      if (attempt == 0) {
        restoredFrom.set(restored.map(CompletedCheckpoint::path).orElse(null));
      }
    }

    @Override
    public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
      completed.incrementAndGet();
    }

    @Override
    public void checkpointFailed(long checkpointId, String reason) {
      failed.incrementAndGet();
    }

    RunSummary summarize(
        String job,
        int parallelism,
        String backend,
        String outcome,
        long durationMs,
        List<WorkerRecords> workers) {
      WorkerRecords all = workers.stream().reduce(WorkerRecords.NONE, WorkerRecords::plus);
      return new RunSummary(
          job,
          parallelism,
          backend,
          outcome,
          durationMs,
          new Records(
              all.read(),
              workers.stream().map(WorkerRecords::read).toList(),
              all.exchanged(),
              all.receivedPerStep()),
          new Checkpoints(completed.get(), failed.get(), restoredFrom.get()));
    }
  }
}
