package io.statejob.runtime.cli;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.execution.JobFailedException;
import io.statejob.runtime.execution.JobListener;
import io.statejob.runtime.execution.JobProgram;
import io.statejob.runtime.execution.JobRunner;
import io.statejob.runtime.execution.LocalWorkers;
import io.statejob.runtime.server.HttpEndpoints;
import io.statejob.runtime.state.StateBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code statejob run}: runs a StateJob manifest in this JVM. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a StateJob manifest locally: coordinator and workers in one JVM.",
      "Restores from the job's latest completed checkpoint when there is one; takes a final"
          + " checkpoint and exits 0 when a bounded source ends."
    })
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Parameters(index = "0", paramLabel = "MANIFEST", description = "StateJob YAML")
  Path manifest;

  @Parameters(
      index = "1..*",
      paramLabel = "JOB_ARG",
      description =
          "Job arguments after --, appended to spec.job.args: a later --name value wins, e.g."
              + " -- --input-topic other")
  List<String> jobArgs = new ArrayList<>();

  @Option(
      names = "--checkpoint-dir",
      paramLabel = "URI",
      description =
          "Checkpoint base URI (default: spec.checkpoints.uri, else ./.statejob/checkpoints)")
  String checkpointDir;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Cluster-wide default runtime config (YAML)")
  Path clusterConfig;

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description = "Sets a runtime configuration key, e.g. -D parallelism.default=3")
  Map<String, String> dynamicProperties = new LinkedHashMap<>();

  @Option(
      names = "--progress-interval",
      paramLabel = "SECONDS",
      defaultValue = "2",
      description = "Seconds between progress lines (default: ${DEFAULT-VALUE})")
  int progressSeconds;

  @Option(
      names = "--summary",
      paramLabel = "FILE",
      description = "Writes a JSON summary of the run (records, checkpoints) when the job ends")
  Path summaryFile;

  @Override
  public Integer call() throws Exception {
    Optional<JobLaunch> prepared =
        JobLaunch.prepare(
            manifest,
            jobArgs,
            job ->
                LocalJobConfiguration.resolve(
                    job,
                    Optional.ofNullable(clusterConfig),
                    Optional.ofNullable(checkpointDir),
                    dynamicProperties),
            System.err);
    if (prepared.isEmpty()) {
      return 2;
    }
    JobLaunch launch = prepared.get();
    JobProgram program = launch.program();
    RuntimeConfig config = launch.config();
    StateBackend backend = launch.backend();
    ProgressReporter progress = new ProgressReporter(System.out, progressSeconds);
    RunSummary.Collector summary = new RunSummary.Collector();
    LocalWorkers workers = new LocalWorkers(program, config, backend);
    JobRunner runner =
        new JobRunner(config, backend, workers, JobListener.all(List.of(progress, summary)));
    String jobId = launch.job().checkpointJobId();
    progress.announce(jobId, program.name(), backend.name(), config);
    LOG.atDebug().addKeyValue("config", config.masked()).log("effective configuration");
    long start = System.nanoTime();
    String outcome = "failed";
    try (ProgressReporter.Ticker ticker =
        progress.startTicker(runner::recordsProcessed, runner::lateRecordsDropped)) {
      runner.run();
      outcome = "finished";
      if (runner.lateRecordsDropped() > 0) {
        System.out.printf("late records dropped: %,d%n", runner.lateRecordsDropped());
      }
      return 0;
    } catch (JobFailedException e) {
      return 1;
    } finally {
      if (summaryFile != null) {
        RunSummary result =
            summary.summarize(
                jobId,
                config.get(RuntimeOptions.PARALLELISM),
                backend.name(),
                outcome,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                workers.recordsPerWorker());
        HttpEndpoints.JSON
            .writerWithDefaultPrettyPrinter()
            .writeValue(summaryFile.toFile(), result);
      }
    }
  }
}
