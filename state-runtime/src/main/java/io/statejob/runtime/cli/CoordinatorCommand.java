package io.statejob.runtime.cli;

import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.cluster.CoordinatorProcess;
import io.statejob.runtime.cluster.FailedJobEndpoints;
import io.statejob.runtime.execution.JobFailedException;
import io.statejob.runtime.execution.JobListener;
import io.statejob.runtime.execution.ProgramNotFoundException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code statejob coordinator}: the coordinator pod's process. */
@Command(
    name = "coordinator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a job's coordinator (pod mode): waits for its workers to register, restores them from"
          + " the latest completed checkpoint, and takes checkpoints.",
      "Serves /checkpoints, /savepoints, /healthz, /readyz and /metrics on rest.port (default"
          + " 8081)."
    })
final class CoordinatorCommand implements Callable<Integer> {
  @Mixin PodOptions pod;

  @Override
  public Integer call() throws Exception {
    Optional<JobLaunch> prepared;
    try {
      prepared = pod.prepare();
    } catch (ProgramNotFoundException e) {
      return pod.serveFailure(e, FailedJobEndpoints::coordinator);
    }
    if (prepared.isEmpty()) {
      return 2;
    }
    JobLaunch launch = prepared.get();
    CoordinatorProcess coordinator =
        new CoordinatorProcess(
            launch.config(),
            launch.backend(),
            launch.config().get(RuntimeOptions.REST_PORT),
            new JobListener() {});
    try {
      coordinator.result().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof JobFailedException failed)) {
        throw e;
      }
      if (failed.reason().retriable()) {
        coordinator.close();
        return 1; // the pod restarts, and the job restores from its latest checkpoint
      }
      // a restart would fail the same way: stay up and report why on /checkpoints
      System.err.println("error: " + failed.getMessage());
    }
    // a finished job stays up to serve its final checkpoint; a restart would run it again
    PodOptions.serveUntilShutdown(coordinator);
    return 0;
  }
}
