package io.statejob.runtime.cli;

import io.statejob.api.config.ConfigValues;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.execution.JobProgram;
import io.statejob.runtime.execution.JobRunner;
import io.statejob.runtime.execution.LocalWorkers;
import io.statejob.runtime.server.HttpEndpoints;
import io.statejob.runtime.state.StateBackend;
import io.statejob.runtime.state.StateBackends;
import io.statejob.runtime.state.rocksdb.database.RocksDBFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code statejob bench}: end-to-end throughput of datagen → keyBy → keyed count (two value states)
 * → discard, in this JVM, for each backend and parallelism asked for.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measures end-to-end throughput: datagen -> keyBy -> keyed count -> discard, in this JVM,"
          + " with checkpoints, for each backend and parallelism.",
      "Prints events/s and the run summary of each run. Checkpoints go to a temporary directory"
          + " that is deleted afterwards."
    })
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--events", defaultValue = "20000000", description = "Events per run")
  long events;

  @Option(names = "--keys", defaultValue = "100000", description = "Distinct keys")
  int keys;

  @Option(
      names = "--parallelism",
      split = ",",
      defaultValue = "1,2",
      description = "Parallelisms to run (default: ${DEFAULT-VALUE})")
  List<Integer> parallelisms;

  @Option(
      names = "--backend",
      split = ",",
      defaultValue = "filesystem,rocksdb",
      description =
          "Backends to run (default: ${DEFAULT-VALUE}); rocksdb checkpoints incrementally")
  List<String> backends;

  @Option(
      names = "--checkpoint-interval",
      defaultValue = "1s",
      description = "Checkpoint interval (default: ${DEFAULT-VALUE})")
  String checkpointInterval;

  @Option(
      names = "--warmup-events",
      defaultValue = "2000000",
      description =
          "Events of an unreported run per backend before the measured ones, so the JIT has"
              + " compiled the record path (default: ${DEFAULT-VALUE}; 0 for none)")
  long warmupEvents;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Where checkpoints and RocksDB files go (default: a temporary directory)")
  Path dir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path work =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("statejob-bench-");
    try {
      out.printf(
          Locale.ROOT,
          "%,d events, %,d keys, checkpoints every %s, %d cores, max heap %s%n",
          events,
          keys,
          checkpointInterval,
          Runtime.getRuntime().availableProcessors(),
          ConfigValues.formatBytes(Runtime.getRuntime().maxMemory()));
      for (String backend : backends) {
        if (warmupEvents > 0) {
          run(backend, parallelisms.get(0), warmupEvents, work);
        }
        for (int parallelism : parallelisms) {
          RunSummary summary = run(backend, parallelism, events, work);
          double seconds = summary.durationMs() / 1000.0;
          out.printf(
              Locale.ROOT,
              "%-10s p=%d  %,12.0f events/s  (%.1f s)%n",
              backend,
              parallelism,
              events / seconds,
              seconds);
          out.println(HttpEndpoints.JSON.writeValueAsString(summary));
          out.flush();
        }
      }
      return 0;
    } finally {
      if (dir == null) {
        RocksDBFiles.deleteQuietly(work);
      }
    }
  }

  private RunSummary run(String backendName, int parallelism, long events, Path work)
      throws Exception {
    String jobId = "bench-" + backendName + "-p" + parallelism + "-" + System.nanoTime();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(RuntimeOptions.JOB_ID.key(), jobId);
    settings.put(RuntimeOptions.STATE_BACKEND.key(), backendName);
    settings.put(RuntimeOptions.PARALLELISM.key(), String.valueOf(parallelism));
    settings.put(RuntimeOptions.CHECKPOINT_INTERVAL.key(), checkpointInterval);
    settings.put(
        RuntimeOptions.CHECKPOINTS_DIR.key(), work.resolve("checkpoints").toUri().toString());
    settings.put(RuntimeOptions.ROCKSDB_LOCAL_DIR.key(), work.resolve("rocksdb").toString());
    settings.put(RuntimeOptions.INCREMENTAL_CHECKPOINTS.key(), "true");
    RuntimeConfig config = RuntimeConfig.of(settings);
    JobProgram program =
        JobProgram.load(
            KeyedCountJob.class.getName(),
            Optional.empty(),
            List.of(
                "--events",
                String.valueOf(events),
                "--keys",
                String.valueOf(keys),
                "--sink",
                "discard"));
    StateBackend backend = StateBackends.load(config, program.classLoader());
    LocalWorkers workers = new LocalWorkers(program, config, backend);
    RunSummary.Collector collector = new RunSummary.Collector();
    long start = System.nanoTime();
    new JobRunner(config, backend, workers, collector).run();
    long durationMs = (System.nanoTime() - start) / 1_000_000;
    return collector.summarize(
        jobId, parallelism, backend.name(), "finished", durationMs, workers.recordsPerWorker());
  }
}
