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
import io.statejob.api.model.StateBackendType;
import io.statejob.api.model.StateJob;
import io.statejob.operator.config.OperatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The ConfigMap {@code <job>-config} that both roles mount: {@code statejob.yaml} (the runtime
 * config: cluster defaults overridden by the job's spec) and {@code job.yaml} (the job's manifest,
 * as {@code statejob run} reads it locally).
 */
public final class RuntimeConfigMapBuilder {
  public static final String RUNTIME_CONFIG = "statejob.yaml";
  public static final String MANIFEST = "job.yaml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private RuntimeConfigMapBuilder() {}

  /**
   * @param runtimeConfig the job's runtime config, from {@link #runtimeConfig}
   */
  public static ConfigMap build(StateJob job, RuntimeConfig runtimeConfig) {
    return new ConfigMapBuilder()
        .withMetadata(OwnedMetadata.of(job, ResourceNames.config(job), "config"))
        .withData(
            Map.of(RUNTIME_CONFIG, runtimeConfigYaml(runtimeConfig), MANIFEST, manifestYaml(job)))
        .build();
  }

  static RuntimeConfig runtimeConfig(StateJob job, OperatorConfig operator) {
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
   * Spec fields that steer the operator, not the runtime: were they in the pods' manifest, changing
   * one (asking for a savepoint, say) would roll the pods.
   */
  private static final List<String> OPERATOR_ONLY_FIELDS =
      List.of("savepointTriggerNonce", "upgradeMode", "suspend");

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
    manifest.set("spec", spec);
    try {
      return YAML.writeValueAsString(manifest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
