package io.statejob.runtime.cli;

import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.cluster.FailedJobEndpoints;
import io.statejob.runtime.cluster.WorkerProcess;
import io.statejob.runtime.execution.ProgramNotFoundException;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code statejob worker}: a worker pod's process. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one worker of a job (pod mode): registers with the coordinator under its StatefulSet"
          + " ordinal and runs the attempts the coordinator assigns.",
      "Serves /healthz, /readyz and /metrics on rest.port (default 8081)."
    })
final class WorkerCommand implements Callable<Integer> {
  private static final Pattern ORDINAL = Pattern.compile("-(\\d+)$");

  @Mixin PodOptions pod;

  @Option(
      names = "--subtask",
      paramLabel = "N",
      description = "The worker's index (default: the ordinal at the end of $POD_NAME)")
  Integer subtask;

  @Option(
      names = "--coordinator",
      paramLabel = "URL",
      description = "The coordinator's URL (default: $STATEJOB_COORDINATOR_URL)")
  String coordinatorUrl;

  @Option(
      names = "--advertise-host",
      paramLabel = "HOST",
      description = "Where the coordinator reaches this worker (default: $POD_IP, else this host)")
  String advertiseHost;

  @Override
  public Integer call() throws Exception {
    Optional<JobLaunch> prepared;
    try {
      prepared = pod.prepare();
    } catch (ProgramNotFoundException e) {
      return pod.serveFailure(e, FailedJobEndpoints::worker);
    }
    if (prepared.isEmpty()) {
      return 2;
    }
    JobLaunch launch = prepared.get();
    WorkerProcess worker =
        new WorkerProcess(
            subtask == null ? ordinalOf(System.getenv("POD_NAME")) : subtask,
            required(coordinatorUrl, "STATEJOB_COORDINATOR_URL", "--coordinator"),
            advertiseHost != null
                ? advertiseHost
                : Optional.ofNullable(System.getenv("POD_IP"))
                    .orElse(InetAddress.getLocalHost().getHostAddress()),
            launch.config().get(RuntimeOptions.REST_PORT),
            launch.program(),
            launch.config(),
            launch.backend());
    PodOptions.serveUntilShutdown(worker);
    return 0;
  }

  /** A StatefulSet pod is named {@code <set>-<ordinal>}. */
  static int ordinalOf(String podName) {
    Matcher matcher = ORDINAL.matcher(podName == null ? "" : podName);
    if (!matcher.find()) {
      throw new IllegalArgumentException(
          "cannot tell the worker's index: set --subtask, or POD_NAME to a StatefulSet pod name"
              + " such as job-worker-0 (it is "
              + podName
              + ")");
    }
    return Integer.parseInt(matcher.group(1));
  }

  private static String required(String option, String variable, String flag) {
    String value = option != null ? option : System.getenv(variable);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("set " + flag + " or $" + variable);
    }
    return value;
  }
}
