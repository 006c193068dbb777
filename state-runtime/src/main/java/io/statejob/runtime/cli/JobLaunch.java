package io.statejob.runtime.cli;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeConfigYaml;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.api.config.SpecToRuntimeConfig;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobManifests;
import io.statejob.api.validation.StateJobValidator;
import io.statejob.api.validation.ValidationResult;
import io.statejob.runtime.execution.JobProgram;
import io.statejob.runtime.logging.LogFormat;
import io.statejob.runtime.state.StateBackend;
import io.statejob.runtime.state.StateBackends;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What every command that runs a job does first: read and validate the manifest, resolve the
 * configuration, load the program, and let a backend set in the program's code win.
 */
public record JobLaunch(
    StateJob job, JobProgram program, RuntimeConfig config, StateBackend backend) {

  /** The configuration of a job, from its validated manifest. */
  @FunctionalInterface
  interface ConfigResolver {
    RuntimeConfig resolve(StateJob job) throws IOException;
  }

  /**
   * A pod's job, from the manifest and runtime config the operator mounts. The config file already
   * holds the spec over the cluster defaults, and the job id the operator assigned, so it wins over
   * the manifest; {@code overrides} win over both.
   */
  public static Optional<JobLaunch> forPod(
      Path manifest,
      Optional<Path> configFile,
      Optional<Path> restorePointFile,
      Map<String, String> overrides,
      PrintStream err)
      throws Exception {
    return prepare(
        manifest, List.of(), job -> podConfig(job, configFile, restorePointFile, overrides), err);
  }

  /** The configuration a pod runs {@code job} with, in the layers {@link #forPod} describes. */
  static RuntimeConfig podConfig(
      StateJob job,
      Optional<Path> configFile,
      Optional<Path> restorePointFile,
      Map<String, String> overrides)
      throws IOException {
    RuntimeConfig config = SpecToRuntimeConfig.map(job);
    if (configFile.isPresent()) {
      config = config.overriddenBy(RuntimeConfigYaml.read(configFile.get()));
    }
    // absent until the job has a checkpoint: the operator adds it to the ConfigMap then
    if (restorePointFile.isPresent() && Files.isRegularFile(restorePointFile.get())) {
      config = config.overriddenBy(RuntimeConfigYaml.read(restorePointFile.get()));
    }
    return config.overriddenBy(RuntimeConfig.of(overrides));
  }

  /** Empty, with one line per problem on {@code err}, when the manifest is invalid. */
  static Optional<JobLaunch> prepare(
      Path manifest, List<String> extraArgs, ConfigResolver resolver, PrintStream err)
      throws Exception {
    StateJob job = StateJobManifests.read(manifest);
    if (!extraArgs.isEmpty()) {
      List<String> args = new ArrayList<>();
      if (job.getSpec().job.args != null) {
        args.addAll(job.getSpec().job.args);
      }
      args.addAll(extraArgs);
      job.getSpec().job.args = args;
    }
    ValidationResult validation = StateJobValidator.validate(job);
    validation.warnings().forEach(w -> err.println("warning: " + w));
    if (!validation.isValid()) {
      validation.errors().forEach(e -> err.println("error: " + manifest + ": " + e));
      return Optional.empty();
    }
    RuntimeConfig config = resolver.resolve(job);
    List<String> problems = StateJobValidator.effectiveConfigProblems(config);
    if (!problems.isEmpty()) {
      problems.forEach(problem -> err.println("error: " + problem));
      return Optional.empty();
    }
    LogFormat.apply(config);
    config.unknownKeys().forEach(k -> err.println("warning: unknown configuration key " + k));
    JobProgram program =
        JobProgram.load(
            job.getSpec().job.className,
            Optional.ofNullable(job.getSpec().job.jarURI),
            job.getSpec().job.args);
    Optional<String> backendInCode = program.build(config).stateBackend();
    if (backendInCode.isPresent()) {
      config = config.with(RuntimeOptions.STATE_BACKEND, backendInCode.get());
    }
    return Optional.of(
        new JobLaunch(job, program, config, StateBackends.load(config, program.classLoader())));
  }
}
