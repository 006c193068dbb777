package io.statejob.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.api.model.StateJobManifests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StateJobValidatorTest {
  private static final String VALID =
      """
      apiVersion: statejob.io/v1alpha1
      kind: StateJob
      metadata:
        name: counts
      spec:
        job:
          className: com.example.Counts
        parallelism: 2
        stateBackend:
          type: filesystem
        checkpoints:
          uri: file:///ckpt
          interval: 30s
      """;

  private static ValidationResult validate(String yaml) throws Exception {
    return StateJobValidator.validate(StateJobManifests.parse(yaml));
  }

  @Test
  void aCompleteSpecIsValid() throws Exception {
    ValidationResult result = validate(VALID);
    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();
  }

  @Test
  void heapAndRocksdbBackendsWithoutACheckpointUriAreRejected() throws Exception {
    assertThat(validate(VALID.replace("    uri: file:///ckpt\n", "")).errors())
        .containsExactly(
            "spec.checkpoints.uri is required for the rocksdb and filesystem backends");
    assertThat(
            validate(VALID.replace("    uri: file:///ckpt\n", "").replace("filesystem", "rocksdb"))
                .errors())
        .containsExactly(
            "spec.checkpoints.uri is required for the rocksdb and filesystem backends");
    assertThat(
            validate(VALID.replace("    uri: file:///ckpt\n", "").replace("filesystem", "memory"))
                .errors())
        .isEmpty();
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "uri: http://x/y | spec.checkpoints.uri: unsupported scheme 'http' in 'http://x/y'; checkpoints need a writable file system",
        "uri: s3://bucket/p | write s3a://, the Hadoop S3A connector",
        "uri: /no/scheme | spec.checkpoints.uri: '/no/scheme' has no scheme",
        "uri: s3a:///nobucket | names no bucket",
        "interval: -5s | spec.checkpoints.interval: must be positive, got -5s",
        "interval: soon | spec.checkpoints.interval: 'soon' is not a duration",
      })
  void checkpointFieldsAreChecked(String line, String message) throws Exception {
    String key = line.substring(0, line.indexOf(':'));
    String yaml = VALID.replaceAll("(?m)^    " + key + ": .*$", "    " + line.replace("$", "\\$"));
    assertThat(validate(yaml).errors()).singleElement().asString().contains(message.trim());
  }

  @Test
  void parallelismMayNotExceedMaxParallelism() throws Exception {
    assertThat(validate(VALID.replace("parallelism: 2", "parallelism: 200")).errors())
        .containsExactly(
            "spec.parallelism: 200 is greater than spec.maxParallelism 128; every worker needs at"
                + " least one key group");
    assertThat(
            validate(VALID.replace("parallelism: 2", "parallelism: 4\n  maxParallelism: 3"))
                .errors())
        .containsExactly(
            "spec.parallelism: 4 is greater than spec.maxParallelism 3; every worker needs at"
                + " least one key group");
    assertThat(validate(VALID.replace("parallelism: 2", "parallelism: 0")).errors())
        .containsExactly("spec.parallelism: must be at least 1, got 0");
  }

  @Test
  void backendOptionsMustFitTheBackend() throws Exception {
    String yaml =
        VALID.replace(
            "    type: filesystem",
            "    type: filesystem\n    incremental: true\n    maxStateSize: 5Mi\n    factoryClass: a.B");
    assertThat(validate(yaml).errors())
        .containsExactlyInAnyOrder(
            "spec.stateBackend.factoryClass: only allowed when type is custom",
            "spec.stateBackend.incremental: only the rocksdb backend has incremental checkpoints",
            "spec.stateBackend.maxStateSize: only allowed for the memory backend");
    assertThat(validate(VALID.replace("type: filesystem", "type: custom")).errors())
        .containsExactly("spec.stateBackend.factoryClass: required when type is custom");
    assertThat(
            validate(VALID.replace("type: filesystem", "type: memory\n    maxStateSize: lots"))
                .errors())
        .singleElement()
        .asString()
        .startsWith("spec.stateBackend.maxStateSize: 'lots' is not a byte size");
  }

  @Test
  void aMissingJobClassAndABadNameAreNamed() throws Exception {
    String yaml =
        VALID
            .replace("name: counts", "name: Counts_1")
            .replace("className: com.example.Counts", "className: \"\"");
    assertThat(validate(yaml).errors())
        .containsExactlyInAnyOrder(
            "metadata.name: 'Counts_1' is not a valid name (at most 253 lower-case letters, digits, '-' and '.')",
            "spec.job.className: required (a class implementing StateJobProgram)");
  }

  @Test
  void unknownRuntimeKeysAndBadValuesAreErrorsOtherUnknownKeysWarnings() throws Exception {
    String yaml =
        VALID
            + "  config:\n"
            + "    execution.checkpointing.timout: 5m\n"
            + "    state.checkpoints.num-retained: three\n"
            + "    fs.s3a.endpoint: http://minio:9000\n"
            + "    heartbeat.intreval: 1s\n";
    ValidationResult result = validate(yaml);
    assertThat(result.warnings())
        .containsExactly("spec.config.heartbeat.intreval: unknown runtime configuration key");
    assertThat(result.errors())
        .containsExactlyInAnyOrder(
            "spec.config.execution.checkpointing.timout: unknown runtime configuration key;"
                + " did you mean execution.checkpointing.timeout?",
            "spec.config.state.checkpoints.num-retained: 'three' is not a whole number");
  }

  @Test
  void flinksNewerSpellingsAreValid() throws Exception {
    String yaml =
        VALID
            + "  config:\n"
            + "    execution.checkpointing.num-retained: '5'\n"
            + "    state.checkpoint-storage: filesystem\n";
    ValidationResult result = validate(yaml);
    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings()).isEmpty();
  }
}
