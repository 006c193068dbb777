package io.statejob.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.statejob.api.config.RuntimeConfigYaml;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.UpgradeMode;
import io.statejob.operator.StateJobs;
import io.statejob.operator.config.OperatorConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The builders are pure functions of a job and the operator config: tested without a server. */
class DesiredResourcesTest {
  private static final OperatorConfig OPERATOR =
      new OperatorConfig(
          "registry.example/statejob:1.0",
          Map.of("state", Map.of("backend", "filesystem"), "state.checkpoints.dir", "file:///d"),
          null,
          null,
          null,
          false,
          null,
          null,
          null,
          null,
          null,
          null);

  private static Container container(PodSpec pod) {
    return pod.getContainers().get(0);
  }

  @Test
  void everyObjectIsOwnedByTheJobAndCarriesTheStandardLabels() {
    StateJob job = StateJobs.memory("counts");
    for (HasMetadata resource : DesiredResources.of(job, OPERATOR, "token").inApplyOrder()) {
      assertThat(resource.getMetadata().getNamespace()).isEqualTo("jobs");
      assertThat(resource.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              owner -> {
                assertThat(owner.getKind()).isEqualTo("StateJob");
                assertThat(owner.getName()).isEqualTo("counts");
                assertThat(owner.getUid()).isEqualTo(job.getMetadata().getUid());
                assertThat(owner.getController()).isTrue();
              });
      assertThat(resource.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/name", "statejob")
          .containsEntry("app.kubernetes.io/instance", "counts")
          .containsEntry("app.kubernetes.io/managed-by", "statejob-operator")
          .containsKey("app.kubernetes.io/component");
    }
  }

  @Test
  void theNetworkPolicyLetsTheJobsPodsTheOperatorAndTheScrapersInAndNoOneElse() {
    NetworkPolicyPeer prometheus =
        new NetworkPolicyPeerBuilder()
            .withNewNamespaceSelector()
            .addToMatchLabels("team", "monitoring")
            .endNamespaceSelector()
            .build();
    OperatorConfig.NetworkPolicySettings settings =
        new OperatorConfig.NetworkPolicySettings(
            true,
            "statejob-system",
            Map.of("app.kubernetes.io/name", "statejob-operator"),
            List.of(prometheus));
    NetworkPolicy policy = NetworkPolicyBuilder.build(StateJobs.memory("guarded"), settings);

    Map<String, String> jobPods =
        Map.of(
            "app.kubernetes.io/instance", "guarded",
            "app.kubernetes.io/managed-by", "statejob-operator");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(jobPods);
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    Map<String, List<NetworkPolicyPeer>> peersByPort = new java.util.HashMap<>();
    for (var rule : policy.getSpec().getIngress()) {
      peersByPort.put(rule.getPorts().get(0).getPort().getStrVal(), rule.getFrom());
    }
    assertThat(peersByPort).containsOnlyKeys("http", "exchange");
    assertThat(peersByPort.get("exchange"))
        .singleElement()
        .satisfies(p -> assertThat(p.getPodSelector().getMatchLabels()).isEqualTo(jobPods));
    assertThat(peersByPort.get("http")).hasSize(3).contains(prometheus);
    assertThat(peersByPort.get("http"))
        .filteredOn(p -> p.getNamespaceSelector() != null && p.getPodSelector() != null)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getNamespaceSelector().getMatchLabels())
                  .containsExactlyEntriesOf(
                      Map.of("kubernetes.io/metadata.name", "statejob-system"));
              assertThat(p.getPodSelector().getMatchLabels())
                  .isEqualTo(Map.of("app.kubernetes.io/name", "statejob-operator"));
            });
    // the named ports the rules use are the containers' own
    DesiredResources desired = DesiredResources.of(StateJobs.memory("guarded"), OPERATOR, "t");
    assertThat(container(desired.workers().getSpec().getTemplate().getSpec()).getPorts())
        .extracting(p -> p.getName())
        .containsExactlyInAnyOrder("http", "exchange");
    assertThat(desired.networkPolicy()).as("off unless enabled").isNull();
  }

  @Test
  void aNetworkPolicyThatWouldLetNoOperatorInIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new OperatorConfig.NetworkPolicySettings(true, null, Map.of(), null))
        .hasMessageContaining("networkPolicy.operatorNamespace");
  }

  private static java.util.Optional<String> sizeProblem(StateJob job) {
    return RuntimeConfigMapBuilder.sizeProblem(
        job, RuntimeConfigMapBuilder.runtimeConfig(job, OPERATOR));
  }

  @Test
  void aConfigMapOverTheApiServersLimitIsRefusedWithItsSize() {
    StateJob job = StateJobs.memory("big");
    assertThat(sizeProblem(job)).isEmpty();
    job.getSpec().config = new java.util.TreeMap<>();
    for (int i = 0; i < 20; i++) {
      job.getSpec().config.put("kafka.note." + i, "x".repeat(60_000));
    }

    assertThat(sizeProblem(job))
        .hasValueSatisfying(
            problem ->
                assertThat(problem)
                    .startsWith("the job's ConfigMap would hold ")
                    .contains("more than the 1048576 a ConfigMap can hold", "job.yaml) is 12"));
  }

  @Test
  void heapBackendsGetOneWorkerPerUnitOfParallelismAndNoVolumeClaim() {
    DesiredResources memory = DesiredResources.of(StateJobs.memory("m"), OPERATOR, "token");
    assertThat(memory.workers().getSpec().getReplicas()).isEqualTo(2);
    assertThat(memory.workers().getSpec().getVolumeClaimTemplates()).isEmpty();
    assertThat(memory.workers().getSpec().getServiceName()).isEqualTo("m-worker");
    assertThat(memory.coordinator().getSpec().getReplicas()).isEqualTo(1);
    // one pod of one identity, never started again before the old one is gone
    assertThat(memory.coordinator().getSpec().getServiceName()).isEqualTo("m-coordinator");
    assertThat(memory.coordinator().getSpec().getVolumeClaimTemplates()).isEmpty();
    DesiredResources filesystem = DesiredResources.of(StateJobs.filesystem("f"), OPERATOR, "token");
    assertThat(filesystem.workers().getSpec().getReplicas()).isEqualTo(3);
    assertThat(filesystem.workers().getSpec().getVolumeClaimTemplates()).isEmpty();
    assertThat(filesystem.workers().getSpec().getTemplate().getSpec().getVolumes())
        .extracting(v -> v.getName())
        .containsExactly("config", "tmp");
  }

  @Test
  void rocksdbWithLocalStorageClaimsAVolumePerWorkerAndPointsRocksDbAtIt() throws Exception {
    DesiredResources rocksdb = DesiredResources.of(StateJobs.rocksdb("r"), OPERATOR, "token");
    assertThat(rocksdb.workers().getSpec().getReplicas()).isEqualTo(4);
    assertThat(rocksdb.workers().getSpec().getVolumeClaimTemplates())
        .singleElement()
        .satisfies(
            claim -> {
              assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast");
              assertThat(claim.getSpec().getResources().getRequests().get("storage").toString())
                  .isEqualTo("20Gi");
            });
    Container worker = container(rocksdb.workers().getSpec().getTemplate().getSpec());
    assertThat(worker.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("local-state");
              assertThat(m.getMountPath()).isEqualTo("/var/lib/statejob/rocksdb");
            });
    var config =
        RuntimeConfigYaml.parse(
            rocksdb.config().getData().get(RuntimeConfigMapBuilder.RUNTIME_CONFIG));
    assertThat(config.asMap())
        .containsEntry("state.backend", "rocksdb")
        .containsEntry("state.backend.incremental", "true")
        .containsEntry("state.backend.rocksdb.localdir", "/var/lib/statejob/rocksdb")
        .containsEntry("state.checkpoints.dir", "s3a://bucket/checkpoints")
        .containsEntry("fs.s3a.endpoint", "http://minio:9000")
        .containsEntry("fs.s3a.path.style.access", "true")
        .containsEntry("job.id", "jobs/r");
  }

  @Test
  void s3CredentialsReachThePodsOnlyFromTheirSecret() {
    DesiredResources rocksdb = DesiredResources.of(StateJobs.rocksdb("r"), OPERATOR, "token");
    for (PodSpec pod :
        java.util.List.of(
            rocksdb.workers().getSpec().getTemplate().getSpec(),
            rocksdb.coordinator().getSpec().getTemplate().getSpec())) {
      assertThat(container(pod).getEnvFrom())
          .singleElement()
          .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("s3-creds"));
    }
    assertThat(Serialization.asYaml(rocksdb.config())).doesNotContain("secret", "AWS_");
  }

  @Test
  void theClusterDefaultBackendAppliesUnlessTheSpecSetsOne() throws Exception {
    StateJob unset = StateJobs.of("plain", "parallelism: 1");
    var config =
        RuntimeConfigYaml.parse(
            DesiredResources.of(unset, OPERATOR, "token")
                .config()
                .getData()
                .get(RuntimeConfigMapBuilder.RUNTIME_CONFIG));
    assertThat(config.asMap())
        .containsEntry("state.backend", "filesystem")
        .containsEntry("state.checkpoints.dir", "file:///d");
  }

  @Test
  void aChangedRuntimeConfigChangesThePodTemplatesAndNothingElseDoes() {
    StateJob job = StateJobs.filesystem("f");
    String hash = hashOf(DesiredResources.of(job, OPERATOR, "token"));
    assertThat(hashOf(DesiredResources.of(StateJobs.filesystem("f"), OPERATOR, "token")))
        .isEqualTo(hash);
    job.getSpec().checkpoints.interval = "5s";
    DesiredResources changed = DesiredResources.of(job, OPERATOR, "token");
    assertThat(hashOf(changed)).isNotEqualTo(hash);
    assertThat(
            changed
                .coordinator()
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get(ConfigHash.ANNOTATION))
        .isEqualTo(hashOf(changed));
  }

  @Test
  void askingForASavepointChangingTheUpgradeModeOrSuspendingRollsNoPod() {
    StateJob job = StateJobs.filesystem("f");
    String hash = hashOf(DesiredResources.of(job, OPERATOR, "token"));
    job.getSpec().savepointTriggerNonce = 7L;
    job.getSpec().upgradeMode = UpgradeMode.SAVEPOINT;
    job.getSpec().suspend = true;
    DesiredResources changed = DesiredResources.of(job, OPERATOR, "token");
    assertThat(hashOf(changed)).isEqualTo(hash);
    assertThat(changed.config().getData().get(RuntimeConfigMapBuilder.MANIFEST))
        .doesNotContain("savepointTriggerNonce", "upgradeMode", "suspend")
        .contains("className");
  }

  private static String hashOf(DesiredResources resources) {
    return resources
        .workers()
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(ConfigHash.ANNOTATION);
  }

  @Test
  void podsRunAsNonRootOnAReadOnlyRootFileSystemWithProbes() {
    DesiredResources resources = DesiredResources.of(StateJobs.memory("m"), OPERATOR, "token");
    Container coordinator = container(resources.coordinator().getSpec().getTemplate().getSpec());
    assertThat(coordinator.getImage()).isEqualTo("registry.example/statejob:1.0");
    assertThat(coordinator.getArgs())
        .containsExactly(
            "coordinator",
            "/etc/statejob/job.yaml",
            "--config",
            "/etc/statejob/statejob.yaml",
            "--restore-point",
            "/etc/statejob/restore-point.yaml",
            "-D",
            "rest.auth.token-file=/etc/statejob-api/token");
    assertThat(coordinator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(coordinator.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(coordinator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(coordinator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(coordinator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(coordinator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container(resources.workers().getSpec().getTemplate().getSpec()).getArgs().get(0))
        .isEqualTo("worker");
    assertThat(resources.workerService().getSpec().getClusterIP()).isEqualTo("None");
    assertThat(resources.coordinatorService().getSpec().getSelector())
        .isEqualTo(resources.coordinator().getSpec().getSelector().getMatchLabels());
  }

  @Test
  void thePodTemplateAddsVolumesEnvironmentAndSidecarsWithoutReplacingTheRuntime() {
    StateJob job =
        StateJobs.of(
            "t",
            """
            podTemplate:
              metadata: {labels: {team: data}}
              spec:
                serviceAccountName: jobs-sa
                volumes: [{name: checkpoints, persistentVolumeClaim: {claimName: shared}}]
                containers:
                  - name: statejob
                    env: [{name: TZ, value: UTC}]
                    volumeMounts: [{name: checkpoints, mountPath: /checkpoints}]
                  - name: log-shipper
                    image: fluent-bit
            """);
    PodSpec pod =
        DesiredResources.of(job, OPERATOR, "token").workers().getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("jobs-sa");
    assertThat(pod.getContainers())
        .extracting(Container::getName)
        .containsExactly("statejob", "log-shipper");
    assertThat(container(pod).getImage()).isEqualTo("registry.example/statejob:1.0");
    assertThat(container(pod).getEnv())
        .extracting(e -> e.getName())
        .contains("POD_NAME", "POD_IP", "STATEJOB_COORDINATOR_URL", "TZ");
    assertThat(container(pod).getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains("/etc/statejob", "/checkpoints");
    assertThat(pod.getVolumes()).extracting(v -> v.getName()).contains("config", "checkpoints");
    assertThat(
            DesiredResources.of(job, OPERATOR, "token")
                .workers()
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getLabels())
        .containsEntry("team", "data")
        .containsEntry("app.kubernetes.io/component", "worker");
  }

  @Test
  void theWorkersAreAsManyAsTheOperatorsDefaultParallelismWhenTheSpecSaysNothing() {
    OperatorConfig fourByDefault =
        new OperatorConfig(
            null,
            Map.of("parallelism.default", 4),
            null,
            null,
            null,
            false,
            null,
            null,
            null,
            null,
            null,
            null);
    StateJob job = StateJobs.of("unsized", "stateBackend: {type: memory}");
    assertThat(DesiredResources.of(job, fourByDefault, "token").workers().getSpec().getReplicas())
        .isEqualTo(4);
  }

  @Test
  void workerVolumesGoWithTheJobAndAScaleDownUnlessKept() {
    StateJob job = StateJobs.rocksdb("kept");
    assertThat(
            DesiredResources.of(job, OPERATOR, "token")
                .workers()
                .getSpec()
                .getPersistentVolumeClaimRetentionPolicy())
        .satisfies(
            policy -> {
              assertThat(policy.getWhenDeleted()).isEqualTo("Delete");
              assertThat(policy.getWhenScaled()).isEqualTo("Delete");
            });
    job.getSpec().stateBackend.localStorage.whenScaled =
        io.statejob.api.model.LocalStorageSpec.ClaimRetention.Retain;
    assertThat(
            DesiredResources.of(job, OPERATOR, "token")
                .workers()
                .getSpec()
                .getPersistentVolumeClaimRetentionPolicy()
                .getWhenScaled())
        .isEqualTo("Retain");
    assertThat(
            DesiredResources.of(StateJobs.filesystem("none"), OPERATOR, "token")
                .workers()
                .getSpec()
                .getPersistentVolumeClaimRetentionPolicy())
        .as("no volume claimed")
        .isNull();
  }

  /**
   * The templates merge as whole trees: the user's resources, security context and scheduling reach
   * the pods; a role's template reaches only that role's pods, over the shared one; the runtime
   * container's image, command line and the operator's volumes stay.
   */
  @Test
  void podTemplatesMergeAsWholeTreesSharedThenPerRole() {
    StateJob job =
        StateJobs.of(
            "tree",
            """
            podTemplate:
              spec:
                dnsPolicy: None
                securityContext: {runAsUser: 2000}
                containers:
                  - name: statejob
                    image: ignored
                    resources: {limits: {cpu: '3'}}
                    env: [{name: TZ, value: UTC}, {name: POD_NAME, value: mine}]
            worker:
              podTemplate:
                spec:
                  priorityClassName: batch-high
                  containers:
                    - name: statejob
                      env: [{name: TZ, value: Europe/Paris}]
                  volumes: [{name: config, emptyDir: {}}]
            """);
    DesiredResources desired = DesiredResources.of(job, OPERATOR, "token");
    PodSpec worker = desired.workers().getSpec().getTemplate().getSpec();
    PodSpec coordinator = desired.coordinator().getSpec().getTemplate().getSpec();
    for (PodSpec pod : List.of(worker, coordinator)) {
      assertThat(pod.getDnsPolicy()).isEqualTo("None");
      assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(2000L);
      assertThat(pod.getSecurityContext().getSeccompProfile().getType())
          .as("kept from the operator's")
          .isEqualTo("RuntimeDefault");
      assertThat(container(pod).getImage()).isEqualTo("registry.example/statejob:1.0");
      assertThat(container(pod).getResources().getLimits().get("cpu").toString()).isEqualTo("3");
      assertThat(container(pod).getEnv())
          .filteredOn(e -> e.getName().equals("POD_NAME"))
          .singleElement()
          .satisfies(e -> assertThat(e.getValueFrom()).as("the operator's").isNotNull());
      assertThat(pod.getVolumes())
          .filteredOn(v -> v.getName().equals("config"))
          .singleElement()
          .satisfies(v -> assertThat(v.getConfigMap()).as("the operator's").isNotNull());
    }
    assertThat(worker.getPriorityClassName()).isEqualTo("batch-high");
    assertThat(coordinator.getPriorityClassName()).isNull();
    assertThat(container(worker).getEnv())
        .filteredOn(e -> e.getName().equals("TZ"))
        .extracting(e -> e.getValue())
        .containsExactly("Europe/Paris");
    assertThat(container(coordinator).getEnv())
        .filteredOn(e -> e.getName().equals("TZ"))
        .extracting(e -> e.getValue())
        .containsExactly("UTC");
  }
}
