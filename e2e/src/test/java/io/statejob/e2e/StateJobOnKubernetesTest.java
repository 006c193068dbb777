package io.statejob.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statejob.api.model.JobPhase;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobStatus;
import io.statejob.examples.KeyedCountJob;
import io.statejob.operator.MockApi;
import io.statejob.operator.OperatorFactory;
import io.statejob.operator.StateJobs;
import io.statejob.operator.config.OperatorConfig;
import io.statejob.runtime.cli.JobLaunch;
import io.statejob.runtime.cli.StateDump;
import io.statejob.runtime.cluster.CoordinatorProcess;
import io.statejob.runtime.execution.JobListener;
import io.statejob.runtime.execution.JobRunner;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A StateJob from {@code kubectl apply} to its result: the real operator on the mock API server,
 * and the {@link Kubelet} harness running the pods it asks for. Workers are killed and the job is
 * rescaled on the way; its final state must equal that of a run without either.
 */
@EnableKubernetesMockClient(crud = true)
class StateJobOnKubernetesTest {
  static KubernetesClient client;

  @TempDir Path dir;

  /**
   * A namespace per test: the mock API server lives as long as the class, with no garbage
   * collector.
   */
  private static int tests;

  private final String namespace = "jobs-" + ++tests;
  private final List<String> restarts = new CopyOnWriteArrayList<>();
  private Operator operator;
  private KubernetesClient operatorClient;
  private Kubelet kubelet;
  private String coordinatorUrl;

  @BeforeEach
  void startOperatorAndKubelet() throws IOException {
    StateJobs.installCrd(client);
    int coordinatorPort = freePort();
    coordinatorUrl = "http://127.0.0.1:" + coordinatorPort;
    OperatorConfig config =
        new OperatorConfig(
            "statejob-runtime:test",
            Map.of(),
            // the jobs of earlier tests stay on the mock server, and every job's coordinator URL
            // is this test's: an operator of all namespaces would act on them through it
            List.of(namespace),
            "1s",
            null,
            false, // the mock API server has no server-side apply
            coordinatorUrl,
            null,
            null,
            null,
            MockApi.NETWORK_POLICY,
            null);
    operatorClient = OperatorFactory.client(client.getConfiguration());
    operator =
        OperatorFactory.create(operatorClient, config, new SimpleMeterRegistry(), "e2e", () -> {});
    operator.start();
    kubelet =
        new Kubelet(
            client,
            namespace,
            dir.resolve("pods"),
            coordinatorPort,
            new JobListener() {
              @Override
              public void restarting(int attempt, Throwable cause) {
                restarts.add(cause.getMessage());
              }
            });
  }

  @AfterEach
  void stop() throws Exception {
    kubelet.close();
    operator.stop();
    operatorClient.close();
  }

  private String manifest(int parallelism) {
    return manifest(parallelism, "300ms", "");
  }

  private String manifest(int parallelism, String checkpointInterval, String moreSpec) {
    return """
        apiVersion: statejob.io/v1alpha1
        kind: StateJob
        metadata: {name: counts, namespace: %s}
        spec:
          job:
            className: io.statejob.examples.KeyedCountJob
            args: [--events, "40000", --keys, "300", --rate, "2500"]
          parallelism: %d
          stateBackend: {type: rocksdb, incremental: true}
          checkpoints: {uri: "%s", interval: %s, retained: 3}
          config:
            heartbeat.interval: 100ms
            heartbeat.timeout: 3s
            restart-strategy.fixed-delay.delay: 100ms
        """
            .formatted(
                namespace, parallelism, dir.resolve("checkpoints").toUri(), checkpointInterval)
        + moreSpec.indent(2);
  }

  @Test
  void aJobSurvivesWorkerKillsAndARescaleWithTheStateOfAnUninterruptedRun() throws Exception {
    client.resource(Serialization.unmarshal(manifest(2), StateJob.class)).create();

    eventually(
        () -> {
          StateJobStatus status = status();
          assertThat(status.phase).isEqualTo(JobPhase.Running);
          assertThat(status.workers.ready).isEqualTo(2);
          assertThat(status.checkpoints.latest.id).isGreaterThanOrEqualTo(2);
          assertThat(status.checkpoints.latest.path)
              .contains("/" + status.jobId + "/chk-")
              .startsWith("file:");
        });

    kubelet.killWorker("counts", 1);
    // restored, and checkpointing again: the rescale below restores a later checkpoint
    eventually(
        () ->
            assertThat(status().checkpoints.latest.id)
                .isGreaterThan(status().checkpoints.restoredFrom.id));
    long restoredBeforeRescale = status().checkpoints.restoredFrom.id;

    editSpec(spec -> spec.parallelism = 3); // a rescale
    eventually(
        () -> {
          StateJobStatus status = status();
          assertThat(status.workers.desired).isEqualTo(3);
          assertThat(status.checkpoints.restoredFrom.id).isGreaterThan(restoredBeforeRescale);
        });

    CompletedCheckpoint last = awaitExactFinalState();
    assertThat(last.metadata().parallelism()).isEqualTo(3);
    // a rescale may restart once more when the old workers join the new coordinator briefly; the
    // kill is reported by the coordinator (subtask 1 lost) or first by its peer, whose records
    // from worker 1 stopped
    assertThat(restarts)
        .anySatisfy(r -> assertThat(r).containsAnyOf("subtask 1", "from worker 1 was lost"));
  }

  @Test
  void aSuspendedJobResumesFromItsLatestCheckpointAndARestartNonceRestartsIt() throws Exception {
    client.resource(Serialization.unmarshal(manifest(2), StateJob.class)).create();
    eventually(() -> assertThat(status().checkpoints.latest.id).isGreaterThanOrEqualTo(2));

    editSpec(spec -> spec.suspend = true);
    eventually(
        () -> {
          assertThat(status().phase).isEqualTo(JobPhase.Suspended);
          assertThat(kubelet.coordinator("counts")).isEmpty();
        });
    long latestBeforeResume = status().checkpoints.latest.id;

    editSpec(spec -> spec.suspend = false);
    // status may not have seen the last checkpoint before the pods stopped; the coordinator's
    // scan of the storage finds it
    eventually(
        () ->
            assertThat(status().checkpoints.restoredFrom.id)
                .isGreaterThanOrEqualTo(latestBeforeResume));
    long restoredAtResume = status().checkpoints.restoredFrom.id;

    eventually(() -> assertThat(status().checkpoints.latest.id).isGreaterThan(restoredAtResume));
    editSpec(spec -> spec.restartNonce = 1L);
    eventually(
        () -> assertThat(status().checkpoints.restoredFrom.id).isGreaterThan(restoredAtResume));
    assertThat(awaitExactFinalState().id()).isGreaterThan(latestBeforeResume);
  }

  /**
   * Checkpoints are all but off (1 h), so the savepoints are the only restore points: the job must
   * resume from the one taken before it was suspended. That one stops the job at its barrier, so
   * the old pods process nothing the resumed job processes again: a sink that is not transactional
   * sees every record once.
   */
  @Test
  void savepointsAreTakenOnRequestAndBeforeASuspendAndTheJobResumesFromThem() throws Exception {
    RecordedCountJob.OUTPUT.clear();
    client
        .resource(
            Serialization.unmarshal(
                manifest(2, "1h", "upgradeMode: savepoint\nsavepointTriggerNonce: 0")
                    .replace(KeyedCountJob.class.getName(), RecordedCountJob.class.getName()),
                StateJob.class))
        .create();
    eventually(() -> assertThat(status().phase).isEqualTo(JobPhase.Running));

    editSpec(spec -> spec.savepointTriggerNonce = 1L);
    eventually(() -> assertThat(status().savepoints.lastTriggerNonce).isEqualTo(1));
    String requested = status().savepoints.latest.path;
    assertThat(requested).contains("/" + status().jobId + "/savepoints/sp-");
    // the operator's requests carry the job's API token; the coordinator refuses one without it
    var unauthorized =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(coordinatorUrl + "/savepoints"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(unauthorized.statusCode()).isEqualTo(401);

    editSpec(spec -> spec.suspend = true);
    eventually(
        () -> {
          assertThat(status().phase).isEqualTo(JobPhase.Suspended);
          assertThat(status().savepoints.latest.path).isNotEqualTo(requested);
          assertThat(kubelet.coordinator("counts")).isEmpty();
        });
    String beforeSuspend = status().savepoints.latest.path;

    editSpec(spec -> spec.suspend = false);
    eventually(() -> assertThat(status().checkpoints.restoredFrom.path).isEqualTo(beforeSuspend));
    awaitExactFinalState();
    // every event emits its key's running count once: key,count,sum
    assertThat(RecordedCountJob.OUTPUT).hasSize(40_000).doesNotHaveDuplicates();
  }

  /**
   * A redeploy goes back to a savepoint the job has run past: the records since are read again from
   * its source positions, and the end state is that of a run without interruptions.
   */
  @Test
  void aJobRedeployedFromAnEarlierSavepointEndsWithTheStateOfAnUninterruptedRun() throws Exception {
    client
        .resource(
            Serialization.unmarshal(
                manifest(2, "300ms", "savepointTriggerNonce: 0"), StateJob.class))
        .create();
    eventually(() -> assertThat(status().checkpoints.latest.id).isGreaterThanOrEqualTo(2));
    editSpec(spec -> spec.savepointTriggerNonce = 1L);
    eventually(() -> assertThat(status().savepoints.lastTriggerNonce).isEqualTo(1));
    String savepoint = status().savepoints.latest.path;
    long savepointId = status().savepoints.latest.id;
    String firstJobId = status().jobId;
    eventually(() -> assertThat(status().checkpoints.latest.id).isGreaterThan(savepointId + 1));

    editSpec(
        spec -> {
          spec.restore = new io.statejob.api.model.RestoreSpec();
          spec.restore.path = savepoint;
          spec.restore.redeployNonce = 1L;
        });
    eventually(
        () -> {
          assertThat(status().jobId).isEqualTo(firstJobId + "-r1");
          assertThat(status().checkpoints.restoredFrom.path).isEqualTo(savepoint);
        });
    awaitExactFinalState();
    assertThat(status().checkpoints.latest.path).contains("/" + firstJobId + "-r1/");
  }

  /**
   * A change to a class that does not exist never runs: it is rolled back to the spec the job ran
   * with, which restores the latest checkpoint and ends with the state of an uninterrupted run.
   */
  @Test
  void aChangeThatNeverRunsIsRolledBackAndTheJobEndsExactly() throws Exception {
    client
        .resource(
            Serialization.unmarshal(
                manifest(2, "300ms", "upgrade: {rollback: true, readinessTimeout: 3s}"),
                StateJob.class))
        .create();
    eventually(() -> assertThat(status().upgrade.stableGeneration).isEqualTo(1));

    editSpec(spec -> spec.job.className = "io.statejob.examples.NoSuchJob");
    eventually(() -> assertThat(status().upgrade.rolledBackGeneration).isEqualTo(2));
    awaitExactFinalState();
    assertThat(status().upgrade.rollbackReason).startsWith("generation 2 did not run");
  }

  /**
   * Deleting a job with {@code savepoints.onDelete} and {@code checkpoints.cleanupOnDelete}: the
   * finalizer stops the job with a savepoint, stops its pods, and the cleanup pod deletes its
   * checkpoints and shared files; the savepoint stays, and the StateJob goes.
   */
  @Test
  void aDeletedJobStopsWithAFinalSavepointAndItsCheckpointsAreDeleted() throws Exception {
    client
        .resource(
            Serialization.unmarshal(
                manifest(2, "300ms", "savepoints: {onDelete: true}")
                    .replace("retained: 3}", "retained: 3, cleanupOnDelete: true}"),
                StateJob.class))
        .create();
    eventually(() -> assertThat(status().checkpoints.latest.id).isGreaterThanOrEqualTo(2));
    Path jobDir = dir.resolve("checkpoints").resolve(status().jobId);
    assertThat(jobDir.resolve("shared")).isNotEmptyDirectory();

    client.resources(StateJob.class).inNamespace(namespace).withName("counts").delete();
    eventually(
        () ->
            assertThat(
                    client
                        .resources(StateJob.class)
                        .inNamespace(namespace)
                        .withName("counts")
                        .get())
                .isNull());
    assertThat(kubelet.coordinator("counts")).isEmpty();
    try (var files = Files.list(jobDir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(name -> name.startsWith("chk-"));
    }
    assertThat(jobDir.resolve("shared"))
        .satisfiesAnyOf(
            shared -> assertThat(shared).doesNotExist(),
            shared -> assertThat(shared).isEmptyDirectory());
    try (var savepoints = Files.list(jobDir.resolve("savepoints"))) {
      assertThat(savepoints.toList())
          .singleElement()
          .satisfies(savepoint -> assertThat(savepoint.resolve("_metadata")).exists());
    }
  }

  /**
   * A sink hangs: no checkpoint completes, and none fails either (the timeout is an hour). The
   * operator's progress check sees no checkpoint for {@code maxAge}, restarts the job from its
   * latest checkpoint, and the job ends exactly.
   */
  @Test
  void aJobWhoseCheckpointsStallIsRestartedAndEndsExactly() throws Exception {
    RecordedCountJob.HUNG.set(false);
    RecordedCountJob.OUTPUT.clear();
    client
        .resource(
            Serialization.unmarshal(
                manifest(2, "300ms", "")
                    .replace(KeyedCountJob.class.getName(), RecordedCountJob.class.getName())
                    .replace("--rate, \"2500\"]", "--rate, \"2500\", --hang-at, \"10000\"]")
                    .replace("retained: 3}", "retained: 3, timeout: 1h, maxAge: 3s}"),
                StateJob.class))
        .create();
    eventually(() -> assertThat(RecordedCountJob.HUNG).isTrue());
    eventually(
        () -> {
          assertThat(status().stalls.restarts).isEqualTo(1);
          assertThat(status().checkpoints.restoredFrom).isNotNull();
        });
    awaitExactFinalState();
    assertThat(status().stalls.restarts).isEqualTo(1);
  }

  /** Waits for the job's end and compares its state with that of a run without interruptions. */
  private CompletedCheckpoint awaitExactFinalState() throws Exception {
    CompletedCheckpoint last = awaitFinalCheckpoint();
    eventually(() -> assertThat(status().checkpoints.latest.id).isEqualTo(last.id()));
    JobLaunch reference = referenceLaunch();
    assertThat(dump(last, reference))
        .hasSizeGreaterThan(300)
        .containsExactlyElementsOf(dump(uninterruptedRun(reference), reference));
    return last;
  }

  /** Changes the spec, as kubectl apply of an edited manifest does. */
  private void editSpec(java.util.function.Consumer<io.statejob.api.model.StateJobSpec> edit) {
    StateJobs.editSpec(client, namespace, "counts", edit);
  }

  private CompletedCheckpoint awaitFinalCheckpoint() {
    return await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () -> {
              Optional<CoordinatorProcess> coordinator = kubelet.coordinator("counts");
              return coordinator.isPresent() && coordinator.get().result().isDone()
                  ? coordinator.get().result().get(1, TimeUnit.SECONDS)
                  : null;
            },
            checkpoint -> checkpoint != null);
  }

  /** The same job run locally, in one JVM, with its own checkpoints and no failures. */
  private JobLaunch referenceLaunch() throws Exception {
    Path manifest = Files.writeString(dir.resolve("reference.yaml"), manifest(2));
    return JobLaunch.forPod(
            manifest,
            Optional.empty(),
            Optional.empty(),
            Map.of(
                "job.id", "reference",
                "state.checkpoints.dir", dir.resolve("reference").toUri().toString(),
                "state.backend.rocksdb.localdir", dir.resolve("reference-rocksdb").toString()),
            System.err)
        .orElseThrow();
  }

  private static CompletedCheckpoint uninterruptedRun(JobLaunch launch) throws Exception {
    return JobRunner.local(
            launch.program(), launch.config(), launch.backend(), new JobListener() {})
        .run();
  }

  private static List<String> dump(CompletedCheckpoint checkpoint, JobLaunch launch)
      throws IOException {
    return StateDump.lines(checkpoint, launch.config(), launch.program().classLoader());
  }

  private StateJobStatus status() {
    return client
        .resources(StateJob.class)
        .inNamespace(namespace)
        .withName("counts")
        .require()
        .getStatus();
  }

  private static void eventually(org.awaitility.core.ThrowingRunnable assertion) {
    await().ignoreExceptions().atMost(Duration.ofSeconds(60)).untilAsserted(assertion);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
