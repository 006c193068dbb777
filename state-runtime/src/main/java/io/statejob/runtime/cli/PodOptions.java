package io.statejob.runtime.cli;

import io.statejob.api.config.RuntimeOptions;
import io.statejob.api.model.StateJobManifests;
import io.statejob.api.protocol.JobFailure;
import io.statejob.runtime.execution.ProgramNotFoundException;
import io.statejob.runtime.server.HttpEndpoints;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The arguments of a pod's process, as the operator writes them. */
final class PodOptions {
  @Parameters(index = "0", paramLabel = "MANIFEST", description = "StateJob YAML")
  Path manifest;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Runtime config (YAML); the operator mounts it from the job's ConfigMap")
  Path configFile;

  @Option(
      names = "-D",
      paramLabel = "KEY=VALUE",
      description = "Sets a runtime configuration key, e.g. -D heartbeat.timeout=30s")
  Map<String, String> dynamicProperties = new LinkedHashMap<>();

  @Option(
      names = "--restore-point",
      paramLabel = "FILE",
      description =
          "The job's latest checkpoint as the operator knows it (YAML), when the file exists: the"
              + " coordinator refuses to start from anything older")
  Path restorePointFile;

  /**
   * @throws ProgramNotFoundException when the job's program cannot be loaded: see {@link
   *     #serveFailure}
   */
  Optional<JobLaunch> prepare() throws Exception {
    return JobLaunch.forPod(
        manifest,
        Optional.ofNullable(configFile),
        Optional.ofNullable(restorePointFile),
        dynamicProperties,
        System.err);
  }

  /** What a role serves when its job cannot run. */
  @FunctionalInterface
  interface FailedEndpoints {
    HttpEndpoints serve(int port, JobFailure failure) throws IOException;
  }

  /**
   * Keeps a pod whose program is missing up, serving what {@code endpoints} serves until it is
   * stopped: a process that exited would be restarted into the same failure, in a loop.
   */
  int serveFailure(ProgramNotFoundException failure, FailedEndpoints endpoints) throws Exception {
    System.err.println("error: " + failure.getMessage());
    JobFailure reported = new JobFailure("ProgramNotFound", failure.getMessage());
    serveUntilShutdown(endpoints.serve(restPort(), reported));
    return 0;
  }

  /** The HTTP port the job's configuration sets, resolved as for a launch. */
  private int restPort() throws IOException {
    return JobLaunch.podConfig(
            StateJobManifests.read(manifest),
            Optional.ofNullable(configFile),
            Optional.ofNullable(restorePointFile),
            dynamicProperties)
        .get(RuntimeOptions.REST_PORT);
  }

  /** Blocks until the JVM shuts down (SIGTERM), then closes {@code process}. */
  static void serveUntilShutdown(AutoCloseable process) throws InterruptedException {
    java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    process.close();
                  } catch (Exception e) {
                    System.err.println("error while stopping: " + e);
                  } finally {
                    closed.countDown();
                  }
                }));
    closed.await();
  }
}
