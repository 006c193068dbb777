package io.statejob.runtime.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statejob.runtime.testing.KafkaTestData;
import io.statejob.runtime.testing.LocalKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once sink's producers against a real broker. A transaction pre-committed by one
 * producer is committed by another process's producer from its id and epoch alone: what a restore
 * does with the transactions its checkpoint recorded. The producer handed to a transaction is
 * always the one of its own id, prepared ahead or not.
 */
class TransactionalProducersTest {
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
    Map<String, Object> settings = new HashMap<>();
    settings.put("bootstrap.servers", broker.bootstrapServers());
    return settings;
  }

  @Test
  void aResumedTransactionCommitsWhatTheCrashedProducerFlushed() throws Exception {
    broker.createTopic("resume", 2);
    long producerId;
    short epoch;
    TransactionalProducer crashed = new TransactionalProducer(settings(), "resume-test-0-1");
    crashed.initTransactions();
    crashed.beginTransaction();
    for (int i = 0; i < 10; i++) {
      crashed.send(
          new ProducerRecord<>(
              "resume", ("k" + i).getBytes(), ("v" + i).getBytes(StandardCharsets.UTF_8)));
    }
    crashed.flush();
    producerId = crashed.producerId();
    epoch = crashed.epoch();
    crashed.close(Duration.ZERO); // the process dies before the commit
    assertThat(KafkaTestData.readCommitted(broker, "resume")).as("not committed yet").isEmpty();

    try (TransactionalProducer recovery =
        new TransactionalProducer(settings(), "resume-test-0-1")) {
      recovery.resume(producerId, epoch);
      recovery.commitTransaction();
    }
    // the commit returns once the coordinator decided it; the partitions' markers follow
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(KafkaTestData.readCommitted(broker, "resume")).hasSize(10));

    // a restore after a crash that followed the commit commits again: a retry, nothing doubles.
    // Once the coordinator completed the commit it has moved past that epoch and says fenced,
    // which the sink takes for committed (KafkaTransactions.commitRestored)
    try (TransactionalProducer again = new TransactionalProducer(settings(), "resume-test-0-1")) {
      again.resume(producerId, epoch);
      again.commitTransaction();
    } catch (ProducerFencedException alreadyCommitted) {
      // the outcome a retry after the commit completed gets
    }
    assertThat(KafkaTestData.readCommitted(broker, "resume")).hasSize(10);
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
