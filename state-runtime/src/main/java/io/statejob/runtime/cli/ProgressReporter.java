package io.statejob.runtime.cli;

import io.statejob.api.config.ConfigValues;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.concurrent.DaemonThreads;
import io.statejob.runtime.execution.JobListener;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** Progress of a local run on the terminal: throughput, checkpoints, restores, restarts. */
final class ProgressReporter implements JobListener {
  private final PrintStream out;
  private final int intervalSeconds;
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  ProgressReporter(PrintStream out, int intervalSeconds) {
    this.out = out;
    this.intervalSeconds = intervalSeconds;
  }

  void announce(String jobId, String program, String backend, RuntimeConfig config) {
    out.printf(
        Locale.ROOT,
        "job %s: %s, parallelism %d, %s backend, checkpoints every %s to %s%n",
        jobId,
        program,
        config.get(RuntimeOptions.PARALLELISM),
        backend,
        config
            .get(RuntimeOptions.CHECKPOINT_INTERVAL)
            .toString()
            .substring(2)
            .toLowerCase(Locale.ROOT),
        config.get(RuntimeOptions.CHECKPOINTS_DIR));
  }

  @Override
  public void started(Optional<CompletedCheckpoint> restoredFrom, int attempt) {
    if (restoredFrom.isPresent()) {
      CompletedCheckpoint checkpoint = restoredFrom.get();
      out.printf(
          Locale.ROOT,
          "restoring from checkpoint %d (%s, %s, taken %s)%n",
          checkpoint.id(),
          checkpoint.path(),
          ConfigValues.formatBytes(checkpoint.metadata().stateSize()),
          Instant.ofEpochMilli(checkpoint.metadata().completedAt()));
    } else if (attempt == 0) {
      out.println("no checkpoint found: starting with empty state");
    }
  }

  @Override
  public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
    completed.incrementAndGet();
    var metadata = checkpoint.metadata();
    String size =
        metadata.isIncremental()
            ? String.format(
                Locale.ROOT,
                "%s full, %s uploaded",
                ConfigValues.formatBytes(metadata.stateSize()),
                ConfigValues.formatBytes(metadata.uploadedSize()))
            : ConfigValues.formatBytes(metadata.stateSize());
    out.printf(
        Locale.ROOT,
        "checkpoint %d completed in %d ms (alignment %d ms): %s%s%n",
        checkpoint.id(),
        durationMs,
        metadata.alignmentMillis(),
        size,
        metadata.finalCheckpoint() ? " (final)" : "");
  }

  @Override
  public void checkpointFailed(long checkpointId, String reason) {
    failed.incrementAndGet();
    out.printf(Locale.ROOT, "checkpoint %d FAILED: %s%n", checkpointId, reason);
  }

  @Override
  public void restarting(int attempt, Throwable cause) {
    out.printf(Locale.ROOT, "restarting (attempt %d) after: %s%n", attempt, cause.getMessage());
  }

  @Override
  public void finished(CompletedCheckpoint finalCheckpoint) {
    out.printf(
        Locale.ROOT,
        "finished: final checkpoint %d at %s%n",
        finalCheckpoint.id(),
        finalCheckpoint.path());
  }

  @Override
  public void failed(Throwable cause) {
    out.println("FAILED: " + cause.getMessage());
  }

  /** Prints a throughput line every interval until closed. */
  Ticker startTicker(LongSupplier records, LongSupplier lateRecordsDropped) {
    ScheduledExecutorService timer = DaemonThreads.scheduler("progress");
    long[] last = {records.getAsLong(), System.nanoTime()};
    timer.scheduleAtFixedRate(
        () -> {
          long now = System.nanoTime();
          long count = records.getAsLong();
          double perSecond = Math.max(0, count - last[0]) / Math.max(1e-9, (now - last[1]) / 1e9);
          last[0] = count;
          last[1] = now;
          long late = lateRecordsDropped.getAsLong();
          out.printf(
              Locale.ROOT,
              "records: %,d (%,.0f/s)  checkpoints: %d completed, %d failed%s%n",
              count,
              perSecond,
              completed.get(),
              failed.get(),
              late == 0 ? "" : String.format(Locale.ROOT, "  late records dropped: %,d", late));
        },
        intervalSeconds,
        intervalSeconds,
        TimeUnit.SECONDS);
    return timer::shutdownNow;
  }

  /** Stops the throughput lines. */
  interface Ticker extends AutoCloseable {
    @Override
    void close();
  }
}
