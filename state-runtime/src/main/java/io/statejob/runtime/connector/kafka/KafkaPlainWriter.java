package io.statejob.runtime.connector.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One idempotent producer without transactions: at-least-once flushes at each checkpoint and fails
 * it when a send failed, so every record before the barrier is in Kafka; none only sends.
 */
final class KafkaPlainWriter implements KafkaWriter {
  private final KafkaProducer<byte[], byte[]> producer;
  private final boolean flushOnCheckpoint;
  private volatile Exception sendFailure;

  KafkaPlainWriter(Map<String, Object> settings, boolean flushOnCheckpoint) {
    this.producer =
        new KafkaProducer<>(
            new HashMap<>(settings), new ByteArraySerializer(), new ByteArraySerializer());
    this.flushOnCheckpoint = flushOnCheckpoint;
  }

  @Override
  public void send(ProducerRecord<byte[], byte[]> record) throws Exception {
    throwIfFailed();
    producer.send(
        record,
        (metadata, error) -> {
          if (error != null && sendFailure == null) {
            sendFailure = error;
          }
        });
  }

  @Override
  public void preCommit(long checkpointId) throws Exception {
    if (flushOnCheckpoint) {
      producer.flush();
      throwIfFailed();
    }
  }

  private void throwIfFailed() throws Exception {
    if (flushOnCheckpoint && sendFailure != null) {
      throw new IllegalStateException(
          "the Kafka sink could not write a record: " + sendFailure, sendFailure);
    }
  }

  @Override
  public void commit(long checkpointId) {}

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(flushOnCheckpoint ? 0 : 5));
  }
}
