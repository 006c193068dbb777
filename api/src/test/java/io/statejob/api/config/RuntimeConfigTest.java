package io.statejob.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statejob.api.model.StateJobManifests;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {
  @Test
  void durationsAndSizesUseKubernetesForms() {
    assertThat(ConfigValues.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ConfigValues.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(ConfigValues.parseDuration("-5s")).isEqualTo(Duration.ofSeconds(-5));
    assertThat(ConfigValues.parseBytes("5Mi")).isEqualTo(5L * 1024 * 1024);
    assertThat(ConfigValues.parseBytes("20Ki")).isEqualTo(20L * 1024);
    assertThat(ConfigValues.parseBytes("1000")).isEqualTo(1000);
    assertThatThrownBy(() -> RuntimeOptions.CHECKPOINT_INTERVAL.parse("3x"))
        .hasMessage(
            "execution.checkpointing.interval: '3x' is not a duration (use forms like 500ms, 30s,"
                + " 5m, 1h)");
  }

  @Test
  void defaultsApplyWhenAKeyIsUnset() {
    RuntimeConfig config = RuntimeConfig.empty();
    assertThat(config.get(RuntimeOptions.STATE_BACKEND)).isEqualTo("memory");
    assertThat(config.get(RuntimeOptions.MEMORY_MAX_STATE_SIZE)).isEqualTo(5L * 1024 * 1024);
    assertThat(config.get(RuntimeOptions.MAX_PARALLELISM)).isEqualTo(128);
    assertThat(config.getOptional(RuntimeOptions.CHECKPOINTS_DIR)).isEmpty();
  }

  @Test
  void theSpecOverridesTheClusterDefaultAndLeavesUnsetFieldsToIt() throws Exception {
    RuntimeConfig cluster =
        RuntimeConfigYaml.parse(
            "state:\n  backend: rocksdb\n  checkpoints:\n    dir: s3a://ckpt/base\n"
                + "execution.checkpointing.interval: 1m\n");
    RuntimeConfig spec =
        SpecToRuntimeConfig.map(
            StateJobManifests.parse(
                "apiVersion: statejob.io/v1alpha1\nkind: StateJob\nmetadata: {name: j}\n"
                    + "spec:\n  parallelism: 3\n  stateBackend: {type: filesystem}\n"
                    + "  config: {state.backend: memory, parallelism.default: '9'}\n"));
    RuntimeConfig effective = cluster.overriddenBy(spec);
    assertThat(effective.get(RuntimeOptions.STATE_BACKEND)).isEqualTo("filesystem");
    assertThat(effective.get(RuntimeOptions.PARALLELISM)).isEqualTo(3);
    assertThat(effective.get(RuntimeOptions.CHECKPOINTS_DIR)).isEqualTo("s3a://ckpt/base");
    assertThat(effective.get(RuntimeOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofMinutes(1));
    assertThat(effective.get(RuntimeOptions.JOB_ID)).isEqualTo("j");
  }

  @Test
  void unknownKeysAreReportedAndSecretsMasked() {
    RuntimeConfig config =
        RuntimeConfig.of(
            Map.of(
                "state.backend", "memory",
                "state.backendd", "x",
                "fs.s3a.secret.key", "hunter2",
                "fs.s3a.endpoint", "http://minio"));
    assertThat(config.unknownKeys()).containsExactly("state.backendd");
    assertThat(config.masked())
        .containsEntry("fs.s3a.secret.key", "******")
        .containsEntry("fs.s3a.endpoint", "http://minio");
    assertThat(config.toString()).doesNotContain("hunter2");
  }

  @Test
  void flinksNewerSpellingsMeanTheSameSettings() {
    RuntimeConfig config =
        RuntimeConfig.of(
            Map.of(
                "state.backend.type", "rocksdb",
                "execution.checkpointing.dir", "s3a://bucket/checkpoints",
                "execution.checkpointing.incremental", "true",
                "execution.checkpointing.num-retained", "5"));
    assertThat(config.unknownKeys()).isEmpty();
    assertThat(config.get(RuntimeOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    assertThat(config.get(RuntimeOptions.CHECKPOINTS_DIR)).isEqualTo("s3a://bucket/checkpoints");
    assertThat(config.get(RuntimeOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
    assertThat(config.get(RuntimeOptions.RETAINED_CHECKPOINTS)).isEqualTo(5);
  }

  @Test
  void aHigherLayerInEitherSpellingOverridesALowerOne() {
    RuntimeConfig cluster = RuntimeConfig.of(Map.of("state.backend", "memory"));
    RuntimeConfig spec = RuntimeConfig.of(Map.of("state.backend.type", "rocksdb"));
    assertThat(cluster.overriddenBy(spec).get(RuntimeOptions.STATE_BACKEND)).isEqualTo("rocksdb");
    RuntimeConfig both =
        RuntimeConfig.of(Map.of("state.backend", "filesystem", "state.backend.type", "rocksdb"));
    assertThat(both.get(RuntimeOptions.STATE_BACKEND))
        .as("within one layer the runtime's own name wins")
        .isEqualTo("filesystem");
  }

  @Test
  void anUnknownKeyUnderTheRuntimesPrefixesIsAnErrorNamingTheLikelyKey() {
    RuntimeConfig config =
        RuntimeConfig.of(
            Map.of(
                "state.backend.incremantal", "true",
                "execution.checkpointing.unaligned.enabled", "true",
                "heartbeat.intreval", "1s"));
    assertThat(config.unknownOwnKeys())
        .containsExactlyInAnyOrder(
            "state.backend.incremantal: unknown runtime configuration key;"
                + " did you mean state.backend.incremental?",
            "execution.checkpointing.unaligned.enabled: unknown runtime configuration key");
    assertThat(config.unknownKeys()).contains("heartbeat.intreval");
  }

  @Test
  void kafkaClientKeysPassThroughAndTheirSecretsAreMasked() {
    RuntimeConfig config =
        RuntimeConfig.of(
            Map.of(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.jaas.config", "PlainLoginModule required password=\"hunter2\";",
                "kafka.ssl.keystore.key", "-----BEGIN PRIVATE KEY-----",
                "kafka.ssl.key.password", "hunter3"));
    assertThat(config.unknownKeys()).isEmpty();
    assertThat(config.masked())
        .containsEntry("kafka.security.protocol", "SASL_SSL")
        .containsEntry("kafka.sasl.jaas.config", "******")
        .containsEntry("kafka.ssl.keystore.key", "******")
        .containsEntry("kafka.ssl.key.password", "******");
  }
}
