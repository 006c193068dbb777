package io.statejob.runtime.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.runtime.testing.CliProcesses;
import io.statejob.runtime.testing.KafkaTestData;
import io.statejob.runtime.testing.LocalKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka credentials given as {@code kafka.*} settings, directly, through an environment variable or
 * a mounted file, never show in a run's output, at DEBUG level either. The broker speaks PLAINTEXT,
 * so the clients carry the SASL and SSL settings without using them, and the job runs.
 */
class KafkaSecretsTest {
  private static final Path EXAMPLE =
      Path.of("..", "examples", "local", "kafka-keyed-count.yaml").toAbsolutePath();
  private static final String ENV_SECRET = "env-jaas-secret-7f3a";
  private static final String FILE_SECRET = "file-truststore-secret-91c2";
  private static final String ARGUMENT_SECRET = "argument-keystore-secret-5d0e";

  @TempDir Path temp;

  @Test
  void noCredentialReachesTheRunsOutput() throws Exception {
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(temp)) {
      broker.createTopic("input", 2);
      broker.createTopic("output", 2);
      KafkaTestData.produce(broker, "input", 0, 200, 10);
      Files.writeString(temp.resolve("truststore-password"), FILE_SECRET);
      Path log = temp.resolve("run.log");

      Process process =
          CliProcesses.start(
              temp,
              log,
              Map.of(
                  "STATEJOB_LOG_LEVEL",
                  "DEBUG",
                  "KAFKA_JAAS",
                  "org.apache.kafka.common.security.scram.ScramLoginModule required"
                      + " username=\"job\" password=\""
                      + ENV_SECRET
                      + "\";"),
              List.of(
                  "run",
                  EXAMPLE.toString(),
                  "-D",
                  "kafka.bootstrap.servers=" + broker.bootstrapServers(),
                  "-D",
                  "kafka.sasl.jaas.config=${env:KAFKA_JAAS}",
                  "-D",
                  "kafka.ssl.truststore.password=${dir:" + temp + ":truststore-password}",
                  "-D",
                  "kafka.ssl.keystore.password=" + ARGUMENT_SECRET,
                  "--",
                  "--bounded",
                  "latest"));

      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the run ended").isTrue();
      String output = Files.readString(log);
      assertThat(process.exitValue()).as(output).isZero();
      assertThat(KafkaTestData.readCommitted(broker, "output")).hasSize(200);
      assertThat(output)
          .contains("kafka.ssl.keystore.password")
          .doesNotContain(ENV_SECRET, FILE_SECRET, ARGUMENT_SECRET);
    }
  }
}
