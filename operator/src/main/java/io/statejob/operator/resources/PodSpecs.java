package io.statejob.operator.resources;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.api.model.RoleSpec;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobSpec;
import io.statejob.api.model.StateJobStatus;
import io.statejob.operator.config.OperatorConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod template of a role: the runtime container with its config, probes and a locked-down
 * security context, then the job's {@code podTemplate} merged in.
 */
final class PodSpecs {
  static final String CONTAINER = "statejob";
  static final int HTTP_PORT = 8081;

  /** Where a worker receives records from the others: the runtime's {@code exchange.port}. */
  static final int EXCHANGE_PORT = 6124;

  static final String CONFIG_PATH = "/etc/statejob";

  /** Where the coordinator finds the job's API token: the Secret, kept apart from the config. */
  static final String API_TOKEN_PATH = "/etc/statejob-api";

  private static final String API_TOKEN_VOLUME = "api-token";
  static final String LOCAL_STATE_VOLUME = "local-state";
  static final String LOCAL_STATE_PATH = "/var/lib/statejob/rocksdb";

  private PodSpecs() {}

  /** The runtime's command line; the coordinator also checks the expected restore point. */
  private static List<String> arguments(String role) {
    List<String> args = new ArrayList<>();
    args.add(role);
    args.add(CONFIG_PATH + "/" + RuntimeConfigMapBuilder.MANIFEST);
    args.add("--config");
    args.add(CONFIG_PATH + "/" + RuntimeConfigMapBuilder.RUNTIME_CONFIG);
    if (role.equals("coordinator")) {
      args.add("--restore-point");
      args.add(CONFIG_PATH + "/" + RuntimeConfigMapBuilder.RESTORE_POINT);
      args.add("-D");
      args.add(
          RuntimeOptions.REST_TOKEN_FILE.key()
              + "="
              + API_TOKEN_PATH
              + "/"
              + ApiTokenSecretBuilder.KEY);
    }
    return args;
  }

  /**
   * @param role {@code coordinator} or {@code worker}: the runtime's command
   * @param localStateFromClaim the local-state volume comes from a claim template, not an emptyDir
   */
  static PodTemplateSpec template(
      StateJob job,
      OperatorConfig operator,
      String role,
      String configHash,
      ResourceRequirements resources,
      boolean rocksdb,
      boolean localStateFromClaim) {
    List<VolumeMount> mounts = new ArrayList<>();
    List<Volume> volumes = new ArrayList<>();
    if (rocksdb) {
      mounts.add(mount(LOCAL_STATE_VOLUME, LOCAL_STATE_PATH, false));
      if (!localStateFromClaim) {
        volumes.add(
            new VolumeBuilder()
                .withName(LOCAL_STATE_VOLUME)
                .withNewEmptyDir()
                .endEmptyDir()
                .build());
      }
    }
    if (role.equals(Labels.COORDINATOR)) {
      mounts.add(mount(API_TOKEN_VOLUME, API_TOKEN_PATH, true));
      volumes.add(
          new VolumeBuilder()
              .withName(API_TOKEN_VOLUME)
              .withNewSecret()
              .withSecretName(ResourceNames.apiToken(job))
              .withDefaultMode(0440) // the pod's fsGroup reads it
              .endSecret()
              .build());
    }
    ContainerBuilder container =
        runtimeContainer(job, operator, arguments(role), mounts)
            .addNewPort()
            .withName("http")
            .withContainerPort(HTTP_PORT)
            .endPort()
            .withLivenessProbe(probe("/healthz"))
            .withReadinessProbe(probe("/readyz"))
            .withResources(resources);
    if (role.equals(Labels.WORKER)) {
      container.addNewPort().withName("exchange").withContainerPort(EXCHANGE_PORT).endPort();
    }
    return podTemplate(job, role, annotations(job, configHash), container.build(), volumes);
  }

  /**
   * The pod that deletes the checkpoints under {@code jobDirectory} ({@code statejob checkpoints
   * delete}) with the job's storage config and credentials; it runs once, so it has no probes.
   */
  static PodTemplateSpec cleanupTemplate(
      StateJob job, OperatorConfig operator, String jobDirectory) {
    List<String> args =
        List.of(
            "checkpoints",
            "delete",
            jobDirectory,
            "--config",
            CONFIG_PATH + "/" + RuntimeConfigMapBuilder.RUNTIME_CONFIG);
    PodTemplateSpec template =
        podTemplate(
            job,
            Labels.CLEANUP,
            Map.of(),
            runtimeContainer(job, operator, args, new ArrayList<>()).build(),
            new ArrayList<>());
    template.getSpec().setRestartPolicy("Never");
    return template;
  }

  /**
   * The runtime image with {@code args}, the job's config mounted read-only, a scratch {@code
   * /tmp}, the job's storage credentials and a locked-down security context.
   */
  private static ContainerBuilder runtimeContainer(
      StateJob job, OperatorConfig operator, List<String> args, List<VolumeMount> mounts) {
    StateJobSpec spec = job.getSpec();
    mounts.add(0, mount("config", CONFIG_PATH, true));
    // the root file system is read-only; the JVM and Hadoop need a scratch directory
    mounts.add(1, mount("tmp", "/tmp", false));
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(CONTAINER)
            .withImage(spec.image == null ? operator.image() : spec.image)
            .withArgs(args)
            .withEnv(environment(job))
            .withVolumeMounts(mounts)
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withReadOnlyRootFilesystem(true)
            .withAllowPrivilegeEscalation(false)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext();
    if (spec.storage != null
        && spec.storage.s3 != null
        && spec.storage.s3.credentialsSecret != null) {
      // AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: S3A's environment credential provider
      container
          .addNewEnvFrom()
          .withNewSecretRef()
          .withName(spec.storage.s3.credentialsSecret)
          .endSecretRef()
          .endEnvFrom();
    }
    return container;
  }

  /** A pod of {@code role} with the job's config and scratch volumes, then its podTemplate. */
  private static PodTemplateSpec podTemplate(
      StateJob job,
      String role,
      Map<String, String> annotations,
      Container container,
      List<Volume> volumes) {
    volumes.add(
        0,
        new VolumeBuilder()
            .withName("config")
            .withNewConfigMap()
            .withName(ResourceNames.config(job))
            .endConfigMap()
            .build());
    volumes.add(1, new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    PodTemplateSpec template =
        new PodTemplateSpecBuilder()
            .withNewMetadata()
            .withLabels(Labels.of(job, role))
            .withAnnotations(annotations)
            .endMetadata()
            .withNewSpec()
            .withContainers(container)
            .withVolumes(volumes)
            // the restricted Pod Security Standard, container fields included
            .withNewSecurityContext()
            .withRunAsNonRoot(true)
            .withRunAsUser(10001L)
            .withFsGroup(10001L)
            .withNewSeccompProfile()
            .withType("RuntimeDefault")
            .endSeccompProfile()
            .endSecurityContext()
            .endSpec()
            .build();
    StateJobSpec spec = job.getSpec();
    RoleSpec own =
        switch (role) {
          case Labels.COORDINATOR -> spec.coordinator;
          case Labels.WORKER -> spec.worker;
          default -> null;
        };
    List<JsonNode> templates = new ArrayList<>();
    templates.add(PodTemplateMerge.tree(spec.podTemplate));
    templates.add(own == null ? null : own.podTemplate);
    return PodTemplateMerge.merge(template, templates);
  }

  /**
   * The config's digest, and the restarts asked for: a new {@code restartNonce} or stall restart
   * changes the pod templates, so the pods restart, from the latest checkpoint as any restart.
   */
  private static Map<String, String> annotations(StateJob job, String configHash) {
    Map<String, String> annotations = new HashMap<>();
    annotations.put(ConfigHash.ANNOTATION, configHash);
    if (job.getSpec().restartNonce != null) {
      annotations.put(DesiredResources.RESTART_NONCE, String.valueOf(job.getSpec().restartNonce));
    }
    StateJobStatus status = job.getStatus();
    if (status != null && status.stalls != null && status.stalls.restarts != null) {
      annotations.put(DesiredResources.STALL_RESTARTS, String.valueOf(status.stalls.restarts));
    }
    return annotations;
  }

  /** A worker's subtask is its pod's ordinal; the coordinator reaches it at its pod IP. */
  private static List<EnvVar> environment(StateJob job) {
    return List.of(
        fieldRef("POD_NAME", "metadata.name"),
        fieldRef("POD_NAMESPACE", "metadata.namespace"),
        fieldRef("POD_IP", "status.podIP"),
        new EnvVar(
            "STATEJOB_COORDINATOR_URL",
            "http://"
                + ResourceNames.coordinator(job)
                + "."
                + job.getMetadata().getNamespace()
                + ".svc:"
                + HTTP_PORT,
            null));
  }

  private static EnvVar fieldRef(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath(fieldPath)
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  private static VolumeMount mount(String name, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(name)
        .withMountPath(path)
        .withReadOnly(readOnly)
        .build();
  }

  private static Probe probe(String path) {
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(path)
        .withNewPort("http")
        .endHttpGet()
        .withPeriodSeconds(10)
        .withFailureThreshold(3)
        .build();
  }
}
