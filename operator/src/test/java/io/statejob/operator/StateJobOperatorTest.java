package io.statejob.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statejob.api.model.JobPhase;
import io.statejob.api.model.SavepointsStatus;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobSpec;
import io.statejob.api.model.StateLayout;
import io.statejob.api.protocol.SnapshotReport;
import io.statejob.api.protocol.SnapshotRequest;
import io.statejob.operator.config.OperatorConfig;
import io.statejob.operator.resources.ConfigHash;
import io.statejob.operator.resources.DesiredResources;
import io.statejob.operator.resources.Labels;
import io.statejob.operator.resources.RuntimeConfigMapBuilder;
import io.statejob.operator.status.Conditions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real JOSDK operator against the fabric8 mock API server in CRUD mode, with the generated CRD
 * installed in it and a fake coordinator endpoint reporting checkpoints.
 */
@EnableKubernetesMockClient(crud = true)
class StateJobOperatorTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  private FakeCoordinator coordinator;
  private Operator operator;
  private KubernetesClient operatorClient;

  @BeforeEach
  void installCrdAndStart() throws Exception {
    StateJobs.installCrd(client);
    coordinator = new FakeCoordinator();
    startOperator();
  }

  /** The operator as the packaged one runs, with a client of its own. */
  private void startOperator() {
    OperatorConfig config =
        new OperatorConfig(
            "statejob-runtime:test",
            Map.of("state.backend", "memory"),
            null,
            "1s",
            null,
            false, // the mock API server has no server-side apply
            coordinator.url(),
            null,
            null,
            null,
            MockApi.NETWORK_POLICY,
            null);
    operatorClient = OperatorFactory.client(client.getConfiguration());
    operator =
        OperatorFactory.create(operatorClient, config, new SimpleMeterRegistry(), "test", () -> {});
    operator.start();
  }

  @AfterEach
  void stopOperatorAndCoordinator() {
    stopOperator();
    coordinator.close();
  }

  private void stopOperator() {
    operator.stop();
    operatorClient.close();
  }

  /** Waits until {@code assertion} holds: the operator works asynchronously. */
  private static void eventually(org.awaitility.core.ThrowingRunnable assertion) {
    await().ignoreExceptions().atMost(Duration.ofSeconds(20)).untilAsserted(assertion);
  }

  /** Creates the job and waits for its workers and its status: the first reconcile is done. */
  private void createAndAwaitWorkers(StateJob job) {
    create(job);
    String name = job.getMetadata().getName();
    eventually(
        () -> {
          assertThat(get(StatefulSet.class, name + "-worker")).isNotNull();
          // the status is written after the owned objects, in the same reconcile
          assertThat(get(name).getStatus()).isNotNull();
          assertThat(get(name).getStatus().jobId).isNotNull();
        });
  }

  private StateJob create(StateJob job) {
    job.getMetadata().setUid(null); // the server assigns it
    return client.resource(job).create();
  }

  private static void editSpec(String name, java.util.function.Consumer<StateJobSpec> edit) {
    StateJobs.editSpec(client, "jobs", name, edit);
  }

  private StateJob get(String name) {
    return client.resources(StateJob.class).inNamespace("jobs").withName(name).get();
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T get(
      Class<T> type, String name) {
    return client.resources(type).inNamespace("jobs").withName(name).get();
  }

  private static String condition(StateJob job, String type) {
    return job.getStatus() == null
        ? null
        : Conditions.find(job.getStatus().conditions, type).map(c -> c.getStatus()).orElse(null);
  }

  @Test
  void eachBackendGetsItsConfigCoordinatorWorkersAndServicesOwnedByTheJob() {
    create(StateJobs.memory("mem"));
    create(StateJobs.filesystem("fs"));
    create(StateJobs.rocksdb("rdb"));
    Map<String, Integer> parallelism = Map.of("mem", 2, "fs", 3, "rdb", 4);
    parallelism.forEach(
        (name, workers) ->
            eventually(
                () -> {
                  StateJob job = get(name);
                  StatefulSet statefulSet = get(StatefulSet.class, name + "-worker");
                  assertThat(statefulSet).isNotNull();
                  assertThat(statefulSet.getSpec().getReplicas()).isEqualTo(workers);
                  assertThat(statefulSet.getSpec().getVolumeClaimTemplates())
                      .hasSize(name.equals("rdb") ? 1 : 0);
                  for (var owned :
                      List.of(
                          statefulSet,
                          get(StatefulSet.class, name + "-coordinator"),
                          get(ConfigMap.class, name + "-config"),
                          get(Service.class, name + "-coordinator"),
                          get(Service.class, name + "-worker"),
                          get(Secret.class, name + "-api-token"),
                          get(NetworkPolicy.class, name))) {
                    assertThat(owned.getMetadata().getOwnerReferences())
                        .singleElement()
                        .satisfies(
                            o -> assertThat(o.getUid()).isEqualTo(job.getMetadata().getUid()));
                    assertThat(owned.getMetadata().getLabels())
                        .containsEntry("app.kubernetes.io/instance", name);
                  }
                  assertThat(job.getStatus().jobId).startsWith("jobs-" + name + "-");
                  assertThat(condition(job, Conditions.SPEC_VALID)).isEqualTo("True");
                  assertThat(job.getStatus().phase).isEqualTo(JobPhase.Deploying);
                  assertThat(job.getStatus().workers.desired).isEqualTo(workers);
                  // what the scale subresource gives an autoscaler: the worker pods' labels
                  assertThat(job.getStatus().workers.selector)
                      .isEqualTo(
                          "app.kubernetes.io/component=worker,app.kubernetes.io/instance=" + name);
                  assertThat(get(ConfigMap.class, name + "-config").getData().get("statejob.yaml"))
                      .contains("job.id: \"" + job.getStatus().jobId + "\"");
                }));
  }

  /** Plays the kubelet: {@code ready} of the StatefulSet's pods are ready. */
  private void markReady(String name, int replicas, int ready) {
    StatefulSet set = get(StatefulSet.class, name);
    set.setStatus(
        new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
            .withReplicas(replicas)
            .withReadyReplicas(ready)
            .build());
    client.resource(set).updateStatus();
  }

  @Test
  void statusFollowsTheCoordinatorsCheckpointsAndThePodsReadiness() {
    createAndAwaitWorkers(StateJobs.rocksdb("watched"));
    coordinator.report(3, 0, 0);
    eventually(
        () -> {
          var checkpoints = get("watched").getStatus().checkpoints;
          assertThat(checkpoints.latest.id).isEqualTo(3);
          assertThat(checkpoints.latest.path).endsWith("/chk-3");
          assertThat(checkpoints.history).extracting(c -> c.id).containsExactly(1L, 2L, 3L);
          assertThat(condition(get("watched"), Conditions.CHECKPOINTS_HEALTHY)).isEqualTo("True");
        });
    coordinator.report(7, 2, 2);
    eventually(
        () -> {
          StateJob job = get("watched");
          assertThat(job.getStatus().checkpoints.latest.id).isEqualTo(7);
          assertThat(job.getStatus().checkpoints.history)
              .extracting(c -> c.id)
              .containsExactly(5L, 6L, 7L);
          assertThat(job.getStatus().checkpoints.failed).isEqualTo(2);
          assertThat(condition(job, Conditions.CHECKPOINTS_HEALTHY)).isEqualTo("False");
        });
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(events("watched"))
                    .extracting(Event::getReason)
                    .contains("CheckpointFailed"));

    markReady("watched-worker", 4, 4);
    markReady("watched-coordinator", 1, 1);
    eventually(
        () -> {
          StateJob job = get("watched");
          assertThat(job.getStatus().phase).isEqualTo(JobPhase.Running);
          assertThat(job.getStatus().workers.ready).isEqualTo(4);
          assertThat(condition(job, Conditions.READY)).isEqualTo("True");
        });

    // a bounded job ends: the coordinator reports its final checkpoint, the workers go
    coordinator.finish(8);
    markReady("watched-worker", 4, 0);
    eventually(
        () -> {
          StateJob job = get("watched");
          assertThat(job.getStatus().phase).as("not Recovering").isEqualTo(JobPhase.Finished);
          assertThat(job.getStatus().checkpoints.latest.id).isEqualTo(8);
          assertThat(condition(job, Conditions.READY)).isEqualTo("False");
        });
  }

  @Test
  void maxParallelismAndTheCheckpointUriStayAsDeployedEvenWhereTheServerHasNoCelRules() {
    createAndAwaitWorkers(StateJobs.filesystem("bound"));
    StateLayout deployed = get("bound").getStatus().stateLayout;
    assertThat(deployed.maxParallelism).isEqualTo(128);
    assertThat(deployed.checkpointsUri).isNotNull();
    String hash = configHashOf(get(StatefulSet.class, "bound-coordinator"));

    editSpec(
        "bound",
        spec -> {
          spec.maxParallelism = 256;
          spec.checkpoints.uri = "s3a://elsewhere/checkpoints";
        });
    eventually(
        () -> {
          Condition valid =
              Conditions.find(get("bound").getStatus().conditions, Conditions.SPEC_VALID).get();
          assertThat(valid.getStatus()).isEqualTo("False");
          assertThat(valid.getMessage())
              .contains("spec.maxParallelism: 128 -> 256: maxParallelism cannot change")
              .contains(
                  "spec.checkpoints.uri: "
                      + deployed.checkpointsUri
                      + " -> s3a://elsewhere/checkpoints: checkpoints.uri cannot change")
              .contains("take a savepoint");
        });
    assertThat(configHashOf(get(StatefulSet.class, "bound-coordinator"))).isEqualTo(hash);
    assertThat(get("bound").getStatus().stateLayout).isEqualTo(deployed);

    // starting over is the one way to change them in place
    editSpec("bound", spec -> spec.upgradeMode = io.statejob.api.model.UpgradeMode.STATELESS);
    eventually(
        () -> {
          StateJob job = get("bound");
          assertThat(condition(job, Conditions.SPEC_VALID)).isEqualTo("True");
          assertThat(job.getStatus().stateLayout.maxParallelism).isEqualTo(256);
          assertThat(job.getStatus().stateLayout.checkpointsUri)
              .isEqualTo("s3a://elsewhere/checkpoints");
          assertThat(configHashOf(get(StatefulSet.class, "bound-coordinator"))).isNotEqualTo(hash);
        });
  }

  @Test
  void theLatestCheckpointIsHandedToTheCoordinatorWithoutRollingThePods() {
    createAndAwaitWorkers(StateJobs.filesystem("guarded"));
    String jobId = get("guarded").getStatus().jobId;
    String hash = configHashOf(get(StatefulSet.class, "guarded-coordinator"));
    assertThat(get(ConfigMap.class, "guarded-config").getData())
        .doesNotContainKey(RuntimeConfigMapBuilder.RESTORE_POINT);
    assertThat(
            get(StatefulSet.class, "guarded-coordinator")
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs())
        .containsSequence(
            "--restore-point", "/etc/statejob/" + RuntimeConfigMapBuilder.RESTORE_POINT);

    coordinator.storeUnder(jobId);
    for (long latest : new long[] {3, 7}) {
      coordinator.report(latest, 0, 0);
      eventually(
          () ->
              assertThat(
                      get(ConfigMap.class, "guarded-config")
                          .getData()
                          .get(RuntimeConfigMapBuilder.RESTORE_POINT))
                  .contains("execution.restore.expected-checkpoint-id: \"" + latest + "\"")
                  .contains("/" + jobId + "/chk-" + latest));
      assertThat(configHashOf(get(StatefulSet.class, "guarded-coordinator"))).isEqualTo(hash);
      assertThat(configHashOf(get(StatefulSet.class, "guarded-worker"))).isEqualTo(hash);
    }
  }

  private static String configHashOf(StatefulSet set) {
    return set.getSpec().getTemplate().getMetadata().getAnnotations().get(ConfigHash.ANNOTATION);
  }

  @Test
  void aJobThatFailedForGoodShowsPhaseFailedWithItsReasonAndOneWarning() {
    createAndAwaitWorkers(StateJobs.filesystem("lost"));
    coordinator.fail(
        4,
        "RestorePointMissing",
        "the job's latest checkpoint is 9, but s3a://bucket/x holds none newer than 4");
    eventually(
        () -> {
          StateJob job = get("lost");
          assertThat(job.getStatus().phase).isEqualTo(JobPhase.Failed);
          Condition ready = Conditions.find(job.getStatus().conditions, Conditions.READY).get();
          assertThat(ready.getStatus()).isEqualTo("False");
          assertThat(ready.getReason()).isEqualTo("RestorePointMissing");
          assertThat(ready.getMessage()).contains("holds none newer than 4");
          assertThat(events("lost"))
              .filteredOn(e -> e.getReason().equals("RestorePointMissing"))
              .singleElement()
              .satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"))
              .satisfies(e -> assertThat(e.getMessage()).contains("holds none newer than 4"));
        });
    int seen = coordinator.requests();
    await().atMost(Duration.ofSeconds(10)).until(() -> coordinator.requests() > seen + 2);
    assertThat(events("lost"))
        .filteredOn(e -> e.getReason().equals("RestorePointMissing"))
        .hasSize(1);
  }

  @Test
  void podsThatCannotRunSayWhyInStatusAndOneWarningEachTime() {
    createAndAwaitWorkers(StateJobs.memory("stuck"));
    Pod worker =
        pod(
            "stuck-worker-0",
            "worker",
            new PodStatusBuilder()
                .addNewContainerStatus()
                .withName("statejob")
                .withNewState()
                .withNewWaiting()
                .withReason("ImagePullBackOff")
                .withMessage("Back-off pulling image \"registry.example/nope:1\"")
                .endWaiting()
                .endState()
                .endContainerStatus()
                .build());
    eventually(
        () -> {
          Condition ready = readyOf("stuck");
          assertThat(ready.getReason()).isEqualTo("ImagePullBackOff");
          assertThat(ready.getMessage())
              .isEqualTo(
                  "pod stuck-worker-0: container statejob: Back-off pulling image"
                      + " \"registry.example/nope:1\"");
          assertThat(get("stuck").getStatus().phase).isEqualTo(JobPhase.Deploying);
          assertThat(warnings("stuck", "ImagePullBackOff")).hasSize(1);
        });

    worker.setStatus(
        new PodStatusBuilder()
            .addNewContainerStatus()
            .withName("statejob")
            .withRestartCount(4)
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withReason("OOMKilled")
            .withExitCode(137)
            .endTerminated()
            .endLastState()
            .endContainerStatus()
            .build());
    client.resource(worker).updateStatus();
    eventually(
        () -> {
          assertThat(readyOf("stuck").getReason()).isEqualTo("OOMKilled");
          assertThat(readyOf("stuck").getMessage()).contains("(4 restarts)");
          assertThat(warnings("stuck", "OOMKilled")).hasSize(1);
        });

    pod(
        "stuck-coordinator-5d9f",
        "coordinator",
        new PodStatusBuilder()
            .withPhase("Pending")
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/3 nodes are available: 3 Insufficient memory.")
            .endCondition()
            .build());
    eventually(
        () -> {
          assertThat(readyOf("stuck").getReason()).isEqualTo("Unschedulable");
          assertThat(readyOf("stuck").getMessage())
              .isEqualTo(
                  "pod stuck-coordinator-5d9f: 0/3 nodes are available: 3 Insufficient memory.");
        });
    assertThat(warnings("stuck", "ImagePullBackOff")).hasSize(1);
  }

  /** A pod of the job's {@code component}, as its controller and kubelet would have written it. */
  private Pod pod(String name, String component, PodStatus status) {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("jobs")
            .withLabels(Labels.of(get(name.substring(0, name.indexOf('-'))), component))
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("statejob")
            .withImage("registry.example/nope:1")
            .endContainer()
            .endSpec()
            .build();
    Pod created = client.resource(pod).create();
    created.setStatus(status);
    return client.resource(created).updateStatus();
  }

  private Condition readyOf(String job) {
    return Conditions.find(get(job).getStatus().conditions, Conditions.READY).orElseThrow();
  }

  private List<Event> warnings(String job, String reason) {
    return events(job).stream()
        .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason()))
        .toList();
  }

  private List<Event> events(String job) {
    return client.v1().events().inNamespace("jobs").list().getItems().stream()
        .filter(e -> job.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  @Test
  void specChangesRollThePodsAndAnUnchangedSpecCostsNoApiCall() throws Exception {
    create(StateJobs.filesystem("rolling"));
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                get("rolling").getStatus() != null
                    && get(StatefulSet.class, "rolling-worker") != null);
    Thread.sleep(1500); // let the first reconciles settle
    drainRequests();
    int polled = coordinator.requests();
    Thread.sleep(3500); // several reconciles at the 1 s interval
    assertThat(coordinator.requests())
        .as("the coordinator was polled, so reconciles ran")
        .isGreaterThan(polled + 1);
    assertThat(drainRequests())
        .extracting(r -> r.getMethod() + " " + r.getPath())
        .as("API calls while nothing changed: reads come from the informers' caches")
        .isEmpty();

    String hash = configHashOf(get(StatefulSet.class, "rolling-worker"));
    editSpec(
        "rolling",
        spec -> {
          spec.parallelism = 5;
          spec.image = "statejob-runtime:v2";
          spec.checkpoints.interval = "5s";
        });
    eventually(
        () -> {
          StatefulSet workers = get(StatefulSet.class, "rolling-worker");
          assertThat(workers.getSpec().getReplicas()).isEqualTo(5);
          assertThat(workers.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
              .isEqualTo("statejob-runtime:v2");
          assertThat(configHashOf(workers)).isNotEqualTo(hash);
          assertThat(configHashOf(get(StatefulSet.class, "rolling-coordinator")))
              .isEqualTo(configHashOf(workers));
          assertThat(get(ConfigMap.class, "rolling-config").getData().get("statejob.yaml"))
              .contains("execution.checkpointing.interval: \"5s\"");
          assertThat(get("rolling").getStatus().observedGeneration).isEqualTo(2);
        });
  }

  /**
   * Drift repair: an owned object deleted or changed by hand is put back by the next reconcile,
   * which the change itself triggers (the owned objects are watched).
   */
  @Test
  void ownedObjectsDeletedOrChangedByHandAreRestored() {
    createAndAwaitWorkers(StateJobs.filesystem("drift"));
    client.resource(get(StatefulSet.class, "drift-worker")).delete();
    client.resource(get(Service.class, "drift-coordinator")).delete();
    client.resource(get(NetworkPolicy.class, "drift")).delete();
    eventually(
        () -> {
          assertThat(get(StatefulSet.class, "drift-worker")).isNotNull();
          assertThat(get(Service.class, "drift-coordinator")).isNotNull();
          assertThat(get(NetworkPolicy.class, "drift")).isNotNull();
        });

    client
        .apps()
        .statefulSets()
        .inNamespace("jobs")
        .withName("drift-worker")
        .edit(
            workers -> {
              workers.getSpec().setReplicas(7);
              return workers;
            });
    client
        .configMaps()
        .inNamespace("jobs")
        .withName("drift-config")
        .edit(
            config -> {
              config.getData().put("statejob.yaml", "state.backend: memory\n");
              return config;
            });
    eventually(
        () -> {
          assertThat(get(StatefulSet.class, "drift-worker").getSpec().getReplicas()).isEqualTo(3);
          assertThat(get(ConfigMap.class, "drift-config").getData().get("statejob.yaml"))
              .contains("filesystem");
        });
  }

  @Test
  void aRestartedOperatorWritesNothingForJobsItReconciledBefore() throws Exception {
    List<String> names =
        java.util.stream.IntStream.range(0, 10).mapToObj(i -> "kept-" + i).toList();
    names.forEach(name -> create(StateJobs.filesystem(name)));
    eventually(
        () ->
            assertThat(names)
                .allSatisfy(
                    name -> {
                      assertThat(get(StatefulSet.class, name + "-worker")).isNotNull();
                      assertThat(get(name).getStatus().jobId).isNotNull();
                    }));
    Thread.sleep(1500); // let the first reconciles settle
    stopOperator();
    drainRequests();

    int polled = coordinator.requests();
    startOperator();
    // each reconcile of a job with a coordinator polls it: every job was reconciled
    await().atMost(Duration.ofSeconds(20)).until(() -> coordinator.requests() >= polled + 20);
    assertThat(drainRequests())
        .extracting(r -> r.getMethod() + " " + r.getPath())
        .as("calls of the restarted operator besides its informers' lists and watches")
        .filteredOn(call -> !call.startsWith("GET") || call.matches("GET [^?]*/[a-z0-9-]+$"))
        .filteredOn(call -> !call.contains("selfsubject"))
        .isEmpty();
  }

  private static List<RecordedRequest> drainRequests() throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      requests.add(request);
    }
    return requests;
  }

  @Test
  void anInvalidSpecIsReportedAndNothingIsCreated() {
    // the mock API server does not evaluate the CRD's CEL rules: the operator's validator must
    create(StateJobs.of("broken", "stateBackend: {type: rocksdb}"));
    eventually(
        () -> {
          StateJob job = get("broken");
          assertThat(condition(job, Conditions.SPEC_VALID)).isEqualTo("False");
          assertThat(
                  Conditions.find(job.getStatus().conditions, Conditions.SPEC_VALID)
                      .orElseThrow()
                      .getMessage())
              .contains("spec.checkpoints.uri is required for the rocksdb and filesystem backends");
          assertThat(job.getStatus().phase).isEqualTo(JobPhase.Failed);
          assertThat(events("broken")).extracting(Event::getReason).containsExactly("InvalidSpec");
        });
    assertThat(get(ConfigMap.class, "broken-config")).isNull();
    assertThat(get(StatefulSet.class, "broken-coordinator")).isNull();
    assertThat(get(StatefulSet.class, "broken-worker")).isNull();
  }

  @Test
  void anInvalidChangeLeavesTheRunningPodsAsTheyWere() {
    createAndAwaitWorkers(StateJobs.memory("steady"));
    editSpec("steady", spec -> spec.parallelism = 500); // more than maxParallelism 128
    eventually(
        () -> {
          assertThat(condition(get("steady"), Conditions.SPEC_VALID)).isEqualTo("False");
          assertThat(
                  Conditions.find(get("steady").getStatus().conditions, Conditions.SPEC_VALID)
                      .orElseThrow()
                      .getMessage())
              .contains("spec.parallelism: 500 is greater than spec.maxParallelism 128");
        });
    assertThat(get(StatefulSet.class, "steady-worker").getSpec().getReplicas()).isEqualTo(2);
  }

  private static String image(StatefulSet workers) {
    return workers.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private List<String> savepointRequestIds() {
    return coordinator.savepointRequests().stream().map(SnapshotRequest::requestId).toList();
  }

  @Test
  void eachNewSavepointTriggerNonceTakesOneSavepointAndAFailureIsReported() throws Exception {
    coordinator.report(3, 0, 0);
    createAndAwaitWorkers(
        StateJobs.of(
            "nonce",
            "stateBackend: {type: filesystem}\ncheckpoints: {uri: file:///c}\n"
                + "savepointTriggerNonce: 0"));
    eventually(() -> assertThat(get("nonce").getStatus().savepoints.lastTriggerNonce).isZero());
    assertThat(coordinator.savepointRequests()).as("a new job has nothing to save").isEmpty();

    editSpec("nonce", spec -> spec.savepointTriggerNonce = 1L);
    eventually(
        () -> {
          SavepointsStatus savepoints = get("nonce").getStatus().savepoints;
          assertThat(savepoints.lastTriggerNonce).isEqualTo(1);
          assertThat(savepoints.latest.path).endsWith("/savepoints/sp-" + savepoints.latest.id);
          assertThat(events("nonce")).extracting(Event::getReason).contains("SavepointCompleted");
        });
    assertThat(savepointRequestIds()).containsOnly("nonce-1");

    coordinator.savepointOutcome(SnapshotReport.State.FAILED);
    editSpec("nonce", spec -> spec.savepointTriggerNonce = 2L);
    eventually(
        () -> {
          SavepointsStatus savepoints = get("nonce").getStatus().savepoints;
          assertThat(savepoints.lastTriggerNonce).isEqualTo(2);
          assertThat(savepoints.lastFailure).isEqualTo("savepoint failed: disk full");
          assertThat(savepoints.latest.id).as("the last good savepoint stays").isEqualTo(101);
          assertThat(events("nonce")).extracting(Event::getReason).contains("SavepointFailed");
        });
    int requests = coordinator.savepointRequests().size();
    Thread.sleep(2500); // reconciles at the 1 s interval
    assertThat(coordinator.savepointRequests()).as("no retry of a failed nonce").hasSize(requests);
  }

  @Test
  void requestsThatChangeTheJobCarryTheTokenOfItsSecretWhichTheCoordinatorReads() {
    coordinator.report(3, 0, 0);
    createAndAwaitWorkers(
        StateJobs.of(
            "tokened",
            "stateBackend: {type: filesystem}\ncheckpoints: {uri: file:///c}\n"
                + "savepointTriggerNonce: 0"));
    String token = apiToken("tokened");
    assertThat(token).hasSizeGreaterThanOrEqualTo(43); // 256 bits
    PodSpec coordinatorPod =
        get(StatefulSet.class, "tokened-coordinator").getSpec().getTemplate().getSpec();
    assertThat(coordinatorPod.getVolumes())
        .filteredOn(v -> v.getSecret() != null)
        .singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("tokened-api-token"));
    assertThat(coordinatorPod.getContainers().get(0).getArgs())
        .containsSequence("-D", "rest.auth.token-file=/etc/statejob-api/token");
    assertThat(
            get(StatefulSet.class, "tokened-worker").getSpec().getTemplate().getSpec().getVolumes())
        .as("workers serve no request that needs it")
        .noneMatch(v -> v.getSecret() != null);

    editSpec("tokened", spec -> spec.savepointTriggerNonce = 1L);
    eventually(() -> assertThat(get("tokened").getStatus().savepoints.lastTriggerNonce).isOne());
    // the coordinator serves every job here: the job's own token is among those it was sent
    assertThat(coordinator.authorizations()).contains("Bearer " + token);

    // a Secret deleted by hand comes back with a new token, which the requests carry from then on
    client.resource(get(Secret.class, "tokened-api-token")).delete();
    eventually(() -> assertThat(get(Secret.class, "tokened-api-token")).isNotNull());
    String newToken = apiToken("tokened");
    assertThat(newToken).isNotEqualTo(token);
    editSpec("tokened", spec -> spec.savepointTriggerNonce = 2L);
    eventually(
        () -> assertThat(get("tokened").getStatus().savepoints.lastTriggerNonce).isEqualTo(2));
    assertThat(coordinator.authorizations()).contains("Bearer " + newToken);
  }

  private String apiToken(String job) {
    String encoded = get(Secret.class, job + "-api-token").getData().get("token");
    return new String(java.util.Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }

  /** A checkpointing job in {@code upgradeMode: savepoint} whose savepoints do not complete yet. */
  private void createInSavepointModeWithASavepointInProgress(String name) {
    coordinator.report(3, 0, 0);
    coordinator.savepointOutcome(SnapshotReport.State.IN_PROGRESS);
    createAndAwaitWorkers(
        StateJobs.of(
            name,
            "stateBackend: {type: filesystem}\ncheckpoints: {uri: file:///c}\n"
                + "upgradeMode: savepoint"));
  }

  @Test
  void inSavepointUpgradeModeThePodsChangeOnlyOnceTheSavepointCompleted() throws Exception {
    createInSavepointModeWithASavepointInProgress("careful");
    editSpec("careful", spec -> spec.image = "statejob-runtime:v2");
    eventually(
        () -> {
          assertThat(get("careful").getStatus().phase).isEqualTo(JobPhase.Upgrading);
          assertThat(coordinator.savepointRequests())
              .contains(new SnapshotRequest("upgrade-2", true, true, false));
        });
    Thread.sleep(1500);
    assertThat(image(get(StatefulSet.class, "careful-worker"))).isEqualTo("statejob-runtime:test");

    coordinator.completeSavepoints();
    eventually(
        () -> {
          assertThat(image(get(StatefulSet.class, "careful-worker")))
              .isEqualTo("statejob-runtime:v2");
          assertThat(get("careful").getStatus().savepoints.latest.type).isEqualTo("savepoint");
          assertThat(events("careful"))
              .filteredOn(e -> e.getReason().equals("SavepointCompleted"))
              .singleElement()
              .extracting(Event::getMessage)
              .asString()
              .contains("stopped the job before the upgrade to generation 2");
        });
    assertThat(savepointRequestIds()).containsOnly("upgrade-2");
  }

  /**
   * The spec goes back while the savepoint that stops the job is taken: the pods stay as they are,
   * so the operator resumes the stopped job; with {@code job.drain} the savepoint drains it.
   */
  @Test
  void aJobStoppedForAChangeThatWasWithdrawnIsResumed() throws Exception {
    createInSavepointModeWithASavepointInProgress("withdrawn");
    editSpec("withdrawn", spec -> spec.job.drain = true);
    Thread.sleep(1000);
    assertThat(coordinator.savepointRequests()).as("drain alone rolls no pod").isEmpty();

    editSpec("withdrawn", spec -> spec.image = "statejob-runtime:v2");
    eventually(
        () ->
            assertThat(coordinator.savepointRequests())
                .contains(new SnapshotRequest("upgrade-3", true, true, true)));
    editSpec("withdrawn", spec -> spec.image = null);
    // the coordinator answers for every job of this class: its stop names this job's directory
    coordinator.storeUnder(get("withdrawn").getStatus().jobId);
    coordinator.stopWithSavepoint();
    eventually(
        () -> {
          assertThat(coordinator.resumes()).isEqualTo(1);
          assertThat(events("withdrawn"))
              .filteredOn(e -> e.getReason().equals("Resumed"))
              .singleElement()
              .extracting(Event::getMessage)
              .asString()
              .contains("resumes from that savepoint");
        });
    assertThat(image(get(StatefulSet.class, "withdrawn-worker")))
        .isEqualTo("statejob-runtime:test");
    client.resource(get("withdrawn")).delete();
  }

  @Test
  void theCoordinatorDeploymentOfAnEarlierOperatorIsReplacedAfterTheUpgradeSavepoint()
      throws Exception {
    createInSavepointModeWithASavepointInProgress("older");
    client
        .resource(MockApi.earlierCoordinatorDeployment(get(StatefulSet.class, "older-coordinator")))
        .create();
    eventually(
        () ->
            assertThat(coordinator.savepointRequests())
                .contains(new SnapshotRequest("upgrade-1", true, true, false)));
    Thread.sleep(1500);
    assertThat(get(Deployment.class, "older-coordinator"))
        .as("kept until the savepoint")
        .isNotNull();

    coordinator.completeSavepoints();
    eventually(
        () -> {
          assertThat(get(Deployment.class, "older-coordinator")).isNull();
          assertThat(get(StatefulSet.class, "older-coordinator").getSpec().getReplicas())
              .isEqualTo(1);
          assertThat(get("older").getStatus().savepoints.latest.type).isEqualTo("savepoint");
        });
  }

  @Test
  void aNewRestartNonceRestartsThePodsFromTheLatestCheckpointWhateverTheUpgradeMode() {
    createAndAwaitWorkers(StateJobs.of("restarted", "parallelism: 2\nupgradeMode: stateless"));
    String jobId = get("restarted").getStatus().jobId;
    String configHash = configHashOf(get(StatefulSet.class, "restarted-worker"));

    editSpec("restarted", spec -> spec.restartNonce = 7L);
    eventually(
        () -> {
          for (String role : List.of("worker", "coordinator")) {
            assertThat(
                    get(StatefulSet.class, "restarted-" + role)
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations())
                .containsEntry(DesiredResources.RESTART_NONCE, "7");
          }
        });
    assertThat(get("restarted").getStatus().jobId)
        .as("a restart is no stateless upgrade: the job keeps its checkpoints")
        .isEqualTo(jobId);
    assertThat(configHashOf(get(StatefulSet.class, "restarted-worker"))).isEqualTo(configHash);
    assertThat(coordinator.savepointRequests()).isEmpty();
  }

  @Test
  void eachNewCheckpointTriggerNonceTakesOneCheckpointAndRollsNothing() throws Exception {
    coordinator.report(3, 0, 0);
    createAndAwaitWorkers(StateJobs.filesystem("asked"));
    String configHash = configHashOf(get(StatefulSet.class, "asked-worker"));

    editSpec("asked", spec -> spec.checkpoints.triggerNonce = 1L);
    eventually(
        () -> {
          assertThat(get("asked").getStatus().checkpoints.lastTriggerNonce).isEqualTo(1);
          assertThat(events("asked"))
              .filteredOn(e -> e.getReason().equals("CheckpointCompleted"))
              .singleElement()
              .extracting(Event::getMessage)
              .asString()
              .contains("checkpoint 901 requested by checkpoints.triggerNonce 1");
        });
    Thread.sleep(2500); // reconciles at the 1 s interval
    assertThat(coordinator.checkpointRequests())
        .extracting(SnapshotRequest::requestId)
        .containsOnly("checkpoint-nonce-1");
    assertThat(configHashOf(get(StatefulSet.class, "asked-worker"))).isEqualTo(configHash);
    assertThat(get("asked").getStatus().checkpoints.lastTriggerNonce)
        .as("kept while the coordinator's checkpoints are mirrored")
        .isEqualTo(1);
  }

  @Test
  void aRunningJobWhoseCheckpointsStallIsRestartedThreeTimesAnHourThenFailed() throws Exception {
    coordinator.report(3, 0, 0); // completed long ago
    createAndAwaitWorkers(StateJobs.of("stalled", "parallelism: 2\ncheckpoints: {maxAge: 2s}"));
    // the kubelet: the pods are ready again soon after each restart
    var kubelet = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    kubelet.scheduleWithFixedDelay(
        () -> {
          markReady("stalled-worker", 2, 2);
          markReady("stalled-coordinator", 1, 1);
        },
        0,
        300,
        TimeUnit.MILLISECONDS);
    try {
      eventually(
          () -> {
            StateJob job = get("stalled");
            assertThat(job.getStatus().phase).isEqualTo(JobPhase.Failed);
            assertThat(Conditions.find(job.getStatus().conditions, Conditions.READY))
                .hasValueSatisfying(
                    c -> {
                      assertThat(c.getReason()).isEqualTo("CheckpointsStalled");
                      assertThat(c.getMessage()).contains("after 3 restarts within 60 min");
                    });
          });
    } finally {
      kubelet.shutdownNow();
    }
    StateJob job = get("stalled");
    assertThat(job.getStatus().stalls.restarts).isEqualTo(3);
    assertThat(job.getStatus().stalls.recent).hasSize(3);
    assertThat(condition(job, Conditions.CHECKPOINTS_HEALTHY)).isEqualTo("False");
    assertThat(
            get(StatefulSet.class, "stalled-worker")
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations())
        .containsEntry(DesiredResources.STALL_RESTARTS, "3");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              // the same warning three times is one Event counted three times
              assertThat(
                      events("stalled").stream()
                          .filter(e -> e.getReason().equals("CheckpointStalled"))
                          .mapToInt(Event::getCount)
                          .sum())
                  .isEqualTo(3);
              assertThat(events("stalled"))
                  .extracting(Event::getReason)
                  .containsOnlyOnce("CheckpointsStalled");
            });
  }

  @Test
  void checkpointCountsContinueAcrossACoordinatorRestart() {
    coordinator.report(3, 1, 0);
    createAndAwaitWorkers(StateJobs.filesystem("counted"));
    eventually(
        () -> {
          assertThat(get("counted").getStatus().checkpoints.completed).isEqualTo(3);
          assertThat(get("counted").getStatus().checkpoints.failed).isEqualTo(1);
        });

    coordinator.restart("2026-11-21T11:00:00Z"); // a new coordinator counts from zero
    coordinator.report(2, 0, 0);
    eventually(
        () -> {
          assertThat(get("counted").getStatus().checkpoints.completed).isEqualTo(5);
          assertThat(get("counted").getStatus().checkpoints.failed).isEqualTo(1);
        });
    coordinator.report(4, 2, 2);
    eventually(
        () -> {
          var checkpoints = get("counted").getStatus().checkpoints;
          assertThat(checkpoints.completed).isEqualTo(7);
          assertThat(checkpoints.failed).isEqualTo(3);
          assertThat(checkpoints.coordinator.startedAt).isEqualTo("2026-11-21T11:00:00Z");
        });
  }

  @Test
  void aNewRedeployNonceRestartsTheJobFromExactlyTheRestorePathUnderANewJobId() {
    createAndAwaitWorkers(
        StateJobs.of(
            "redeployed",
            "stateBackend: {type: filesystem}\ncheckpoints: {uri: 'file:///c'}\n"
                + "upgradeMode: savepoint\nrestore: {path: 'file:///c/other/chk-1', redeployNonce: 1}"));
    String jobId = get("redeployed").getStatus().jobId;
    assertThat(get("redeployed").getStatus().redeploy.lastNonce)
        .as("a new job starts from the path anyway: the nonce is only recorded")
        .isEqualTo(1);
    assertThat(get("redeployed").getStatus().redeploy.jobId).isEqualTo(jobId);
    coordinator.storeUnder(jobId);
    coordinator.report(5, 0, 0);
    eventually(
        () ->
            assertThat(get(ConfigMap.class, "redeployed-config").getData())
                .containsKey(RuntimeConfigMapBuilder.RESTORE_POINT));

    String savepoint = "file:///c/" + jobId + "/savepoints/sp-3";
    editSpec(
        "redeployed",
        spec -> {
          spec.restore.path = savepoint;
          spec.restore.redeployNonce = 2L;
        });
    eventually(
        () -> {
          StateJob job = get("redeployed");
          assertThat(job.getStatus().jobId).isEqualTo(jobId + "-r2");
          assertThat(job.getStatus().redeploy.path).isEqualTo(savepoint);
          Map<String, String> data = get(ConfigMap.class, "redeployed-config").getData();
          assertThat(data.get("statejob.yaml"))
              .contains("job.id: \"" + jobId + "-r2\"")
              .contains("execution.savepoint.path: \"" + savepoint + "\"");
          assertThat(data)
              .as("the new job id has no checkpoint to expect")
              .doesNotContainKey(RuntimeConfigMapBuilder.RESTORE_POINT);
          assertThat(events("redeployed"))
              .extracting(Event::getReason)
              .containsOnlyOnce("Redeploying");
        });
    assertThat(coordinator.savepointRequests())
        .as("a redeploy takes no upgrade savepoint: it goes back to the chosen one")
        .isEmpty();
  }

  @Test
  void periodicSavepointsAreKeptToMaxCountAndAnInterruptedDisposalKeepsItsEntry() throws Exception {
    coordinator.report(3, 0, 0);
    coordinator.failDisposals(1);
    createAndAwaitWorkers(
        StateJobs.of(
            "periodic",
            "stateBackend: {type: filesystem}\ncheckpoints: {uri: 'file:///c'}\n"
                + "savepoints: {interval: 1s, maxCount: 2}"));
    markReady("periodic-worker", 1, 1);
    markReady("periodic-coordinator", 1, 1);

    eventually(
        () -> {
          var savepoints = get("periodic").getStatus().savepoints;
          assertThat(coordinator.disposals()).hasSizeGreaterThanOrEqualTo(2);
          assertThat(savepoints.history).hasSizeLessThanOrEqualTo(2);
          assertThat(savepoints.history)
              .allSatisfy(s -> assertThat(s.trigger).startsWith("periodic-"));
        });
    StateJob job = get("periodic");
    assertThat(coordinator.savepointRequests())
        .extracting(SnapshotRequest::requestId)
        .allSatisfy(id -> assertThat(id).startsWith("periodic-"));
    assertThat(job.getStatus().savepoints.history)
        .extracting(s -> s.path)
        .as("no entry goes before its files")
        .noneMatch(coordinator.disposals()::contains);
    assertThat(events("periodic"))
        .extracting(Event::getReason)
        .containsOnlyOnce("SavepointDisposalFailed")
        .contains("SavepointDisposed");
    assertThat(configHashOf(get(StatefulSet.class, "periodic-worker")))
        .as("savepoint settings roll no pods")
        .isEqualTo(configHashOf(get(StatefulSet.class, "periodic-coordinator")));
    // the mock API server outlives the test: its savepoints would go to the next test's coordinator
    client.resource(job).delete();
  }

  @Test
  void aChangeThatDoesNotComeUpIsRolledBackToTheLastStableSpec() throws Exception {
    createAndAwaitWorkers(
        StateJobs.of(
            "careless", "parallelism: 1\nupgrade: {rollback: true, readinessTimeout: 2s}"));
    markReady("careless-worker", 1, 1);
    markReady("careless-coordinator", 1, 1);
    coordinator.report(3, 0, 0);
    eventually(() -> assertThat(get("careless").getStatus().upgrade.stableGeneration).isEqualTo(1));

    editSpec("careless", spec -> spec.image = "statejob-runtime:typo");
    eventually(() -> assertThat(image(get(StatefulSet.class, "careless-worker"))).endsWith("typo"));
    markReady("careless-worker", 1, 0); // the new image does not start
    eventually(
        () -> {
          StateJob job = get("careless");
          assertThat(job.getStatus().upgrade.rolledBackGeneration).isEqualTo(2);
          assertThat(job.getStatus().upgrade.rollbackReason)
              .startsWith("generation 2 did not run and complete a checkpoint within 2 s");
          assertThat(image(get(StatefulSet.class, "careless-worker")))
              .isEqualTo("statejob-runtime:test");
          assertThat(events("careless"))
              .extracting(Event::getReason)
              .containsOnlyOnce("RolledBack");
        });
    assertThat(get("careless").getSpec().image)
        .as("the spec stays as written")
        .isEqualTo("statejob-runtime:typo");

    editSpec("careless", spec -> spec.image = "statejob-runtime:v2"); // a new change is tried
    eventually(
        () ->
            assertThat(image(get(StatefulSet.class, "careless-worker")))
                .isEqualTo("statejob-runtime:v2"));
    client.resource(get("careless")).delete();
  }

  @Test
  void inStatelessUpgradeModeAChangeStartsOverUnderANewJobId() {
    createAndAwaitWorkers(StateJobs.of("fresh", "parallelism: 2\nupgradeMode: stateless"));
    String firstId = get("fresh").getStatus().jobId;
    assertThat(get(ConfigMap.class, "fresh-config").getData().get("statejob.yaml"))
        .contains("job.id: \"" + firstId + "\"");

    coordinator.storeUnder(firstId);
    coordinator.report(3, 0, 0);
    eventually(
        () ->
            assertThat(get(ConfigMap.class, "fresh-config").getData())
                .containsKey(RuntimeConfigMapBuilder.RESTORE_POINT));

    editSpec("fresh", spec -> spec.parallelism = 3);
    eventually(
        () -> {
          assertThat(get("fresh").getStatus().jobId).isEqualTo(firstId + "-g2");
          assertThat(get(ConfigMap.class, "fresh-config").getData())
              .as("the old job id's checkpoints are nothing the new one must find")
              .doesNotContainKey(RuntimeConfigMapBuilder.RESTORE_POINT);
          assertThat(get(ConfigMap.class, "fresh-config").getData().get("statejob.yaml"))
              .contains("job.id: \"" + firstId + "-g2\"");
          assertThat(get(StatefulSet.class, "fresh-worker").getSpec().getReplicas()).isEqualTo(3);
        });
    assertThat(coordinator.savepointRequests()).isEmpty();
  }
}
