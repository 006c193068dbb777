package io.statejob.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.api.model.StateJobManifests;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A credential in a StateJob is refused without being repeated; a reference to one is not. */
class CredentialsTest {
  private static final String SECRET = "s3cr3t-Value";

  private static ValidationResult validate(String specLines) throws Exception {
    return StateJobValidator.validate(
        StateJobManifests.parse(
            """
            apiVersion: statejob.io/v1alpha1
            kind: StateJob
            metadata: {name: counts}
            spec:
              job: {className: com.example.Counts}
            """
                + specLines.indent(2)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "config: {fs.s3a.secret.key: SECRET}|spec.config.fs.s3a.secret.key: a credential",
        "config: {fs.s3a.access.key: SECRET}|spec.config.fs.s3a.access.key: a credential",
        "config: {fs.s3a.session.token: SECRET}|spec.config.fs.s3a.session.token: a credential",
        "config: {kafka.ssl.truststore.password: SECRET}"
            + "|spec.config.kafka.ssl.truststore.password: a credential",
        "config: {kafka.sasl.jaas.config: 'PlainLoginModule password=SECRET;'}"
            + "|spec.config.kafka.sasl.jaas.config: a credential",
        "config: {kafka.sasl.jaas.config: 'PlainLoginModule username=\"${env:U}\""
            + " password=\"SECRET\";'}"
            + "|spec.config.kafka.sasl.jaas.config: a credential",
        "config: {state.checkpoints.dir: 's3a://AKIA:SECRET@bucket/c'}"
            + "|spec.config.state.checkpoints.dir: a URI with credentials",
        "checkpoints: {uri: 's3a://AKIA:SECRET@bucket/c'}"
            + "|spec.checkpoints.uri: a URI with credentials",
        "restore: {path: 's3a://AKIA:SECRET@bucket/c/chk-3'}"
            + "|spec.restore.path: a URI with credentials",
        "storage: {s3: {endpoint: 'http://minio:SECRET@minio:9000'}}"
            + "|spec.storage.s3.endpoint: a URI with credentials",
      })
  void isRefusedNamingTheFieldAndNotTheValue(String spec, String problem) throws Exception {
    ValidationResult result = validate(spec.replace("SECRET", SECRET));

    assertThat(result.errors())
        .singleElement()
        .asString()
        .startsWith(problem)
        .contains("spec.storage.s3.credentialsSecret", "${env:NAME}")
        .doesNotContain(SECRET);
    assertThat(result.warnings()).noneMatch(w -> w.contains(SECRET));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "config: {kafka.sasl.jaas.config: '${file:/etc/kafka/jaas.properties:config}'}",
        "config: {kafka.ssl.truststore.password: '${env:TRUSTSTORE_PASSWORD}'}",
        "config: {kafka.sasl.jaas.config: 'ScramLoginModule required username=\"${env:USER}\""
            + " password=\"${env:KAFKA_PASSWORD}\";'}",
        "config: {fs.s3a.secret.key: '${env.AWS_SECRET_ACCESS_KEY}'}",
        "config: {fs.s3a.aws.credentials.provider: com.amazonaws.auth.EnvironmentVariableProvider}",
        "checkpoints: {uri: 's3a://bucket/runs@2/c'}",
      })
  void aReferenceToASecretIsNotOne(String spec) throws Exception {
    assertThat(validate(spec).errors()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "leveldb|'leveldb' is none of memory, jobmanager, hashmap, filesystem, rocksdb, nor a",
        "hashmap|",
        "ROCKSDB|",
        "com.example.LevelDbBackendFactory|",
      })
  void aSpecNamesABuiltInBackendOrAFactoryClass(String backend, String problem) throws Exception {
    ValidationResult result = validate("config: {state.backend: " + backend + "}");

    if (problem == null) {
      assertThat(result.errors()).isEmpty();
    } else {
      assertThat(result.errors()).singleElement().asString().contains(problem);
    }
  }
}
