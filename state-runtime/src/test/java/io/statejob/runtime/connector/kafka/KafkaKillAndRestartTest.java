package io.statejob.runtime.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.statejob.runtime.testing.CliProcesses;
import io.statejob.runtime.testing.KafkaTestData;
import io.statejob.runtime.testing.LocalKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka example as written, run with {@code statejob run} in child processes that are killed
 * with SIGKILL three times at random moments and then restored at another parallelism: a {@code
 * read_committed} consumer of the output sees every key's counts 1..n exactly once, with the sums
 * of the input.
 */
class KafkaKillAndRestartTest {
  private static final Path EXAMPLE =
      Path.of("..", "examples", "local", "kafka-keyed-count.yaml").toAbsolutePath();
  private static final int RECORDS = 150_000;
  private static final int KEYS = 60;
  private static final int KILLS = 3;

  @TempDir Path temp;
  private LocalKafkaBroker broker;

  @BeforeEach
  void startBroker() throws Exception {
    broker = LocalKafkaBroker.start(temp);
    broker.createTopic("input", 4);
    broker.createTopic("output", 3);
    KafkaTestData.produce(broker, "input", 0, RECORDS, KEYS);
  }

  @AfterEach
  void stopBroker() {
    broker.close();
  }

  @Test
  void everyUpdateIsWrittenExactlyOnceDespiteSigkillsAndARescale() throws Exception {
    Path manifest = boundedCopyOfTheExample();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int kills = 0;
    for (int i = 0; i < KILLS; i++) {
      Path log = temp.resolve("killed-" + i + ".log");
      Process process = start(manifest, log, 2);
      if (!CliProcesses.awaitCheckpoints(process, log, 1 + random.nextInt(2))) {
        break; // finished before the kill
      }
      Thread.sleep(random.nextInt(1_000));
      if (!process.isAlive()) {
        break;
      }
      process.destroyForcibly(); // SIGKILL: no shutdown hook, open transactions stay open
      process.waitFor(30, TimeUnit.SECONDS);
      kills++;
    }
    Path last = temp.resolve("final.log");
    Process process = start(manifest, last, 3);
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("the last run finished").isTrue();
    String output = Files.readString(last);
    assertThat(process.exitValue()).as("exit code (seed %d):%n%s", seed, output).isZero();
    assertThat(kills).as("kills that hit a running job (seed %d)", seed).isGreaterThanOrEqualTo(2);
    assertThat(output).contains("restoring from checkpoint");

    assertThat(KafkaTestData.readCommitted(broker, "output").stream().sorted().toList())
        .as("committed output (seed %d)", seed)
        .isEqualTo(KafkaTestData.expectedOutput(RECORDS, KEYS));
  }

  /** The example with {@code --bounded latest}, so that the last run ends. */
  private Path boundedCopyOfTheExample() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode root = (ObjectNode) yaml.readTree(EXAMPLE.toFile());
    ((ArrayNode) root.get("spec").get("job").get("args")).add("--bounded").add("latest");
    Path copy = temp.resolve("kafka-keyed-count.yaml");
    yaml.writeValue(copy.toFile(), root);
    return copy;
  }

  private Process start(Path manifest, Path log, int parallelism) throws Exception {
    return CliProcesses.start(
        temp,
        log,
        Map.of(),
        List.of(
            "run",
            manifest.toString(),
            "-D",
            "kafka.bootstrap.servers=" + broker.bootstrapServers(),
            "-D",
            "parallelism.default=" + parallelism));
  }
}
