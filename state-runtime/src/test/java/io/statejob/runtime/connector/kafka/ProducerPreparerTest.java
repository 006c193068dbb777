package io.statejob.runtime.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statejob.runtime.testing.KafkaTestData;
import io.statejob.runtime.testing.LocalKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The producer handed out is always the one of the id asked for, prepared ahead or not. */
class ProducerPreparerTest {
  @TempDir static java.nio.file.Path temp;
  private static LocalKafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = LocalKafkaBroker.start(temp);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private static Map<String, Object> settings() {
    return Map.of("bootstrap.servers", broker.bootstrapServers());
  }

  @Test
  void eachTransactionGetsTheProducerOfItsOwnIdAndCommits() throws Exception {
    broker.createTopic("prepared", 1);
    try (ProducerPreparer preparer = new ProducerPreparer(settings(), "test-preparer")) {
      // in order (the prepared producer is used), then a skipped number (it is discarded)
      String[][] takes = {{"t-0-1", "t-0-2"}, {"t-0-2", "t-0-3"}, {"t-0-5", "t-0-6"}};
      for (String[] take : takes) {
        TransactionalProducer producer = preparer.take(take[0], take[1]);
        assertThat(producer.transactionalId()).isEqualTo(take[0]);
        producer.beginTransaction();
        producer.send(
            new ProducerRecord<>("prepared", null, take[0].getBytes(StandardCharsets.UTF_8)));
        producer.commitTransaction();
        producer.close(Duration.ZERO);
      }
    }
    assertThat(KafkaTestData.readCommitted(broker, "prepared"))
        .containsExactly("t-0-1", "t-0-2", "t-0-5");
  }

  @Test
  void closingLeavesNoThreadBehind() {
    ProducerPreparer preparer = new ProducerPreparer(settings(), "test-preparer-closed");
    preparer.take("c-0-1", "c-0-2").close(Duration.ZERO);
    preparer.close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(thread -> thread.getName().equals("test-preparer-closed")));
  }
}
