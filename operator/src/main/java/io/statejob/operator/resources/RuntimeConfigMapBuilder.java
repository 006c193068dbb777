package io.statejob.operator.resources;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeConfigYaml;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.api.config.SpecToRuntimeConfig;
import io.statejob.api.model.CheckpointInfo;
import io.statejob.api.model.StateBackendType;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobStatus;
import io.statejob.api.model.StateLayout;
import io.statejob.operator.config.OperatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The ConfigMap {@code <job>-config} that both roles mount: {@code statejob.yaml} (the runtime
 * config: cluster defaults overridden by the job's spec), {@code job.yaml} (the job's manifest, as
 * {@code statejob run} reads it locally) and, once the job has checkpoints, {@code
 * restore-point.yaml}: the latest checkpoint in status, which a starting coordinator must find in
 * storage. That one changes with every checkpoint, so it is left out of the config hash: a mounted
 * ConfigMap is updated in place, and a coordinator reads it whenever it starts.
 */
public final class RuntimeConfigMapBuilder {
  public static final String RUNTIME_CONFIG = "statejob.yaml";
  public static final String MANIFEST = "job.yaml";
  public static final String RESTORE_POINT = "restore-point.yaml";

  /** The API server's limit on a ConfigMap's data. */
  static final long MAX_DATA_BYTES = 1024 * 1024;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RuntimeConfigMapBuilder() {}

  /**
   * @param runtimeConfig the job's runtime config, from {@link #runtimeConfig}
   */
  public static ConfigMap build(StateJob job, RuntimeConfig runtimeConfig) {
    Map<String, String> data = new TreeMap<>();
    data.put(RUNTIME_CONFIG, runtimeConfigYaml(runtimeConfig));
    data.put(MANIFEST, manifestYaml(job));
    expectedRestorePoint(job).ifPresent(point -> data.put(RESTORE_POINT, runtimeConfigYaml(point)));
    return new ConfigMapBuilder()
        .withMetadata(OwnedMetadata.of(job, ResourceNames.config(job), "config"))
        .withData(data)
        .build();
  }

  /**
   * The latest checkpoint or savepoint status knows of, as the runtime's keys; only one of the
   * job's own (under {@code <uri>/<job-id>/}): a restored snapshot of another job, or one of the
   * job id a stateless upgrade left behind, is nothing this job's storage must hold.
   */
  private static Optional<RuntimeConfig> expectedRestorePoint(StateJob job) {
    StateJobStatus status = job.getStatus();
    CheckpointInfo latest =
        status == null || status.checkpoints == null ? null : status.checkpoints.latest;
    if (latest == null
        || latest.id == null
        || latest.path == null
        || status.jobId == null
        || !latest.path.contains("/" + status.jobId + "/")) {
      return Optional.empty();
    }
    return Optional.of(
        RuntimeConfig.of(
            Map.of(
                RuntimeOptions.EXPECTED_CHECKPOINT_ID.key(),
                String.valueOf(latest.id),
                RuntimeOptions.EXPECTED_CHECKPOINT_PATH.key(),
                latest.path)));
  }

  /**
   * Why the job's ConfigMap cannot be stored, if it cannot: Kubernetes holds at most 1 MiB of data
   * in one, and most of it here is the job's own manifest.
   *
   * @param runtimeConfig the job's runtime config, from {@link #runtimeConfig}
   */
  public static Optional<String> sizeProblem(StateJob job, RuntimeConfig runtimeConfig) {
    Map<String, String> data = build(job, runtimeConfig).getData();
    long bytes = 0;
    for (Map.Entry<String, String> entry : data.entrySet()) {
      bytes += utf8Length(entry.getKey()) + utf8Length(entry.getValue());
    }
    if (bytes <= MAX_DATA_BYTES) {
      return Optional.empty();
    }
    return Optional.of(
        "the job's ConfigMap would hold "
            + bytes
            + " bytes, more than the "
            + MAX_DATA_BYTES
            + " a ConfigMap can hold; the manifest in it ("
            + MANIFEST
            + ") is "
            + utf8Length(data.get(MANIFEST))
            + " bytes: make spec.config, spec.podTemplate or spec.job.args smaller");
  }

  private static long utf8Length(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  /**
   * What the job's state will be bound to when deployed: its key groups and checkpoint URI.
   *
   * @param config the job's runtime config, from {@link #runtimeConfig}
   */
  public static StateLayout stateLayout(RuntimeConfig config) {
    return new StateLayout(
        config.get(RuntimeOptions.MAX_PARALLELISM),
        config.getOptional(RuntimeOptions.CHECKPOINTS_DIR).orElse(null));
  }

  /** The runtime config the job's pods run with: the operator's defaults under the spec. */
  public static RuntimeConfig runtimeConfig(StateJob job, OperatorConfig operator) {
    RuntimeConfig config = operator.runtimeDefaults().overriddenBy(SpecToRuntimeConfig.map(job));
    if (usesRocksDb(config)) {
      config = config.with(RuntimeOptions.ROCKSDB_LOCAL_DIR, PodSpecs.LOCAL_STATE_PATH);
    }
    return config;
  }

  static boolean usesRocksDb(RuntimeConfig config) {
    return config
        .getRaw(RuntimeOptions.STATE_BACKEND.key())
        .map(StateBackendType.ROCKSDB.configValue()::equals)
        .orElse(false);
  }

  private static String runtimeConfigYaml(RuntimeConfig runtimeConfig) {
    try {
      return RuntimeConfigYaml.write(runtimeConfig);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Spec fields that steer the operator, not the runtime (and {@code checkpoints.triggerNonce}):
   * were they in the pods' manifest, changing one (asking for a savepoint, say) would roll the
   * pods.
   */
  private static final List<String> OPERATOR_ONLY_FIELDS =
      List.of(
          "savepointTriggerNonce",
          "savepoints",
          "restartNonce",
          "upgradeMode",
          "upgrade",
          "suspend");

  /**
   * The manifest without status, server-set metadata or operator-only fields, so it changes only
   * with what the runtime reads.
   */
  private static String manifestYaml(StateJob job) {
    ObjectNode manifest = YAML.createObjectNode();
    manifest.put("apiVersion", StateJob.API_VERSION);
    manifest.put("kind", "StateJob");
    manifest
        .putObject("metadata")
        .put("name", job.getMetadata().getName())
        .put("namespace", job.getMetadata().getNamespace());
    ObjectNode spec = YAML.valueToTree(job.getSpec());
    spec.remove(OPERATOR_ONLY_FIELDS);
    if (spec.get("checkpoints") instanceof ObjectNode checkpoints) {
      checkpoints.remove(List.of("triggerNonce", "maxAge"));
    }
    if (spec.get("restore") instanceof ObjectNode restore) {
      restore.remove("redeployNonce");
    }
    if (spec.get("job") instanceof ObjectNode program) {
      program.remove("drain");
    }
    manifest.set("spec", spec);
    try {
      return YAML.writeValueAsString(manifest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
