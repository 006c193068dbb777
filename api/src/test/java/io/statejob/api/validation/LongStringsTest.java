package io.statejob.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.api.model.RestoreSpec;
import io.statejob.api.model.S3StorageSpec;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobManifests;
import io.statejob.api.model.StorageSpec;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A 4 KB or 1 MB string in any string field is accepted where it fits or answered with an error
 * that names the field; it never overflows a parser or ends up whole in a message.
 */
class LongStringsTest {
  private static final String MANIFEST =
      """
      apiVersion: statejob.io/v1alpha1
      kind: StateJob
      metadata: {name: counts}
      spec:
        job: {className: com.example.Counts, args: [--events, "10"]}
        stateBackend: {type: rocksdb, localStorage: {size: 1Gi}}
        checkpoints: {uri: 'file:///ckpt', interval: 30s}
      """;

  /** A field and how to set it; the repeated unit is what the field's parser would loop on. */
  private record StringField(String path, String unit, BiConsumer<StateJob, String> set) {}

  private static final List<StringField> FIELDS =
      List.of(
          new StringField("metadata.name", "a.", (j, v) -> j.getMetadata().setName(v)),
          new StringField("spec.image", "a/", (j, v) -> j.getSpec().image = v),
          new StringField("spec.job.className", "a.", (j, v) -> j.getSpec().job.className = v),
          new StringField("spec.job.jarURI", "file:///a", (j, v) -> j.getSpec().job.jarURI = v),
          new StringField("spec.job.args", "-", (j, v) -> j.getSpec().job.args = List.of(v)),
          new StringField(
              "spec.checkpoints.uri", "s3a:/", (j, v) -> j.getSpec().checkpoints.uri = v),
          new StringField(
              "spec.checkpoints.interval", "1s", (j, v) -> j.getSpec().checkpoints.interval = v),
          new StringField(
              "spec.checkpoints.timeout", "1m", (j, v) -> j.getSpec().checkpoints.timeout = v),
          new StringField(
              "spec.stateBackend.factoryClass",
              "a.",
              (j, v) -> j.getSpec().stateBackend.factoryClass = v),
          new StringField(
              "spec.stateBackend.maxStateSize",
              "1",
              (j, v) -> j.getSpec().stateBackend.maxStateSize = v),
          new StringField(
              "spec.stateBackend.localStorage.size",
              "9",
              (j, v) -> j.getSpec().stateBackend.localStorage.size = v),
          new StringField(
              "spec.stateBackend.localStorage.storageClassName",
              "a-",
              (j, v) -> j.getSpec().stateBackend.localStorage.storageClassName = v),
          new StringField("spec.restore.path", "file:/", (j, v) -> restore(j).path = v),
          new StringField("spec.storage.s3.endpoint", "http://", (j, v) -> s3(j).endpoint = v),
          new StringField("spec.storage.s3.region", "eu-", (j, v) -> s3(j).region = v),
          new StringField(
              "spec.storage.s3.credentialsSecret", "a.", (j, v) -> s3(j).credentialsSecret = v),
          new StringField(
              "spec.config.execution.checkpointing.interval",
              "1s",
              (j, v) -> j.getSpec().config = Map.of("execution.checkpointing.interval", v)),
          new StringField("spec.config", "a.", (j, v) -> j.getSpec().config = Map.of(v, "1")));

  private static RestoreSpec restore(StateJob job) {
    job.getSpec().restore = new RestoreSpec();
    return job.getSpec().restore;
  }

  private static S3StorageSpec s3(StateJob job) {
    job.getSpec().storage = new StorageSpec();
    job.getSpec().storage.s3 = new S3StorageSpec();
    return job.getSpec().storage.s3;
  }

  static Stream<Arguments> fieldsAndLengths() {
    return FIELDS.stream()
        .flatMap(f -> Stream.of(Arguments.of(f, 4 * 1024), Arguments.of(f, 1024 * 1024)));
  }

  @ParameterizedTest(name = "{0} of {1} characters")
  @MethodSource("fieldsAndLengths")
  void isAnsweredWithoutOverflowAndWithoutRepeatingTheValue(StringField field, int length)
      throws Exception {
    StateJob job = StateJobManifests.parse(MANIFEST);
    String value = field.unit().repeat(length / field.unit().length() + 1).substring(0, length);
    field.set().accept(job, value);

    ValidationResult result = StateJobValidator.validate(job);

    assertThat(result.errors())
        .allSatisfy(e -> assertThat(e).startsWith(field.path()).hasSizeLessThan(400));
    // every field but a program argument has a limit below a megabyte
    if (length > 64 * 1024 && !field.path().equals("spec.job.args")) {
      assertThat(result.errors()).isNotEmpty();
    }
  }
}
