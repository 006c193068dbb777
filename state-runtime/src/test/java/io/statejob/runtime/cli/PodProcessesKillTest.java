package io.statejob.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.execution.JobRuns;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.storage.Checkpoints;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pod mode as separate processes: a coordinator and worker JVMs whose records cross over TCP on
 * 127.0.0.1. Workers are SIGKILLed at random moments, then the whole job is killed and resumed at 3
 * workers, killed again, and finished at 1: every event is counted exactly once.
 */
class PodProcessesKillTest {
  private static final long EVENTS = 60_000;

  @TempDir Path temp;
  private final List<Process> processes = new ArrayList<>();
  private final Random random = new Random();
  private Path checkpoints;
  private int coordinatorPort;
  private Path coordinatorLog;
  private int launched;

  @AfterEach
  void killAll() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void sigkilledWorkersAndRescalesKeepEveryUpdateExactlyOnce() throws Exception {
    checkpoints = temp.resolve("checkpoints");
    Path manifest = temp.resolve("job.yaml");
    Files.writeString(
        manifest,
        """
        apiVersion: statejob.io/v1alpha1
        kind: StateJob
        metadata:
          name: pod-kill
        spec:
          job:
            className: io.statejob.examples.KeyedCountJob
            args: ["--events", "%d", "--keys", "300", "--rate", "4000"]
          parallelism: 2
          stateBackend:
            type: filesystem
          checkpoints:
            uri: %s
            interval: 300ms
        """
            .formatted(EVENTS, checkpoints.toUri()));

    List<Process> workers = startJob(manifest, 2);
    for (int kill = 0; kill < 3; kill++) {
      awaitNewCheckpoint();
      Thread.sleep(random.nextInt(500));
      int victim = random.nextInt(2);
      workers.get(victim).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      workers.set(victim, startWorker(manifest, victim));
    }
    awaitNewCheckpoint();
    killEverything();

    workers = startJob(manifest, 3);
    awaitNewCheckpoint();
    workers.get(2).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    workers.set(2, startWorker(manifest, 2));
    awaitNewCheckpoint();
    killEverything();

    startJob(manifest, 1);
    RuntimeConfig config = RuntimeConfig.of(Map.of());
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> latest(config).metadata().finalCheckpoint());
    CompletedCheckpoint last = latest(config);
    assertThat(last.metadata().parallelism()).isEqualTo(1);
    // the last run went on from the checkpoints of the killed ones, not from the start
    assertThat(Files.readString(coordinatorLog))
        .containsPattern("attempt started.*restore=\"file:");
    JobRuns.assertExactCounts(JobRuns.dump(last, config), "count-and-sum", EVENTS);
  }

  private List<Process> startJob(Path manifest, int parallelism) throws Exception {
    coordinatorPort = freePort();
    processes.add(
        start(
            List.of(
                "coordinator",
                manifest.toString(),
                "-D",
                "rest.port=" + coordinatorPort,
                "-D",
                "parallelism.default=" + parallelism),
            "coordinator"));
    List<Process> workers = new ArrayList<>();
    for (int i = 0; i < parallelism; i++) {
      workers.add(startWorker(manifest, i));
    }
    return workers;
  }

  private Process startWorker(Path manifest, int subtask) throws Exception {
    Process worker =
        start(
            List.of(
                "worker",
                manifest.toString(),
                "--subtask",
                String.valueOf(subtask),
                "--coordinator",
                "http://127.0.0.1:" + coordinatorPort,
                "--advertise-host",
                "127.0.0.1",
                "-D",
                "rest.port=0",
                "-D",
                "exchange.port=0"),
            "worker-" + subtask);
    processes.add(worker);
    return worker;
  }

  private Process start(List<String> args, String name) throws Exception {
    Path log = temp.resolve(name + "-" + launched++ + ".log");
    if (name.equals("coordinator")) {
      coordinatorLog = log;
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                StateJobCli.class.getName()));
    command.addAll(args);
    // common to all of the job's processes: how fast a lost worker is noticed
    command.addAll(
        List.of("-D", "heartbeat.timeout=5s", "-D", "restart-strategy.fixed-delay.delay=200ms"));
    return new ProcessBuilder(command)
        .directory(temp.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private void killEverything() throws InterruptedException {
    for (Process process : processes) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    processes.clear();
  }

  /** Waits until a checkpoint newer than the latest one now completes. */
  private void awaitNewCheckpoint() throws IOException {
    long before = latestId();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> latestId() > before);
  }

  private long latestId() throws IOException {
    Path job = checkpoints.resolve("pod-kill");
    if (!Files.isDirectory(job)) {
      return 0;
    }
    try (Stream<Path> dirs = Files.list(job)) {
      return dirs.filter(d -> Files.exists(d.resolve("_metadata")))
          .map(d -> d.getFileName().toString())
          .filter(name -> name.startsWith("chk-"))
          .mapToLong(name -> Long.parseLong(name.substring(4)))
          .max()
          .orElse(0);
    }
  }

  private CompletedCheckpoint latest(RuntimeConfig config) throws IOException {
    return Checkpoints.load(checkpoints.toUri().toString(), config);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
