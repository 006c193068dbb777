package io.statejob.runtime.cli;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobManifests;
import io.statejob.api.validation.StateJobValidator;
import io.statejob.api.validation.ValidationResult;
import io.statejob.runtime.execution.JobFailedException;
import io.statejob.runtime.execution.JobProgram;
import io.statejob.runtime.execution.LocalJobRunner;
import io.statejob.runtime.state.StateBackend;
import io.statejob.runtime.state.StateBackends;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
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
  @Parameters(index = "0", paramLabel = "MANIFEST", description = "StateJob YAML")
  Path manifest;

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

  @Override
  public Integer call() throws Exception {
    StateJob job = StateJobManifests.read(manifest);
    ValidationResult validation = StateJobValidator.validate(job);
    validation.warnings().forEach(w -> System.err.println("warning: " + w));
    if (!validation.isValid()) {
      validation.errors().forEach(e -> System.err.println("error: " + manifest + ": " + e));
      return 2;
    }
    RuntimeConfig config =
        LocalJobConfiguration.resolve(
            job,
            Optional.ofNullable(clusterConfig),
            Optional.ofNullable(checkpointDir),
            dynamicProperties);
    config
        .unknownKeys()
        .forEach(k -> System.err.println("warning: unknown configuration key " + k));
    JobProgram program =
        JobProgram.load(
            job.getSpec().job.className,
            Optional.ofNullable(job.getSpec().job.jarURI),
            job.getSpec().job.args);
    Optional<String> backendInCode = program.build().stateBackend();
    if (backendInCode.isPresent()) {
      config = config.with(RuntimeOptions.STATE_BACKEND, backendInCode.get());
    }
    StateBackend backend = StateBackends.load(config, program.classLoader());
    ProgressReporter progress = new ProgressReporter(System.out, progressSeconds);
    LocalJobRunner runner = new LocalJobRunner(program, config, backend, progress);
    progress.announce(job.checkpointJobId(), program.name(), backend.name(), config);
    try (ProgressReporter.Ticker ticker =
        progress.startTicker(runner::recordsProcessed, runner::lateRecordsDropped)) {
      runner.run();
      if (runner.lateRecordsDropped() > 0) {
        System.out.printf("late records dropped: %,d%n", runner.lateRecordsDropped());
      }
      return 0;
    } catch (JobFailedException e) {
      return 1;
    }
  }
}
