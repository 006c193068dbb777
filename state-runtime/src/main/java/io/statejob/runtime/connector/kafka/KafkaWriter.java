package io.statejob.runtime.connector.kafka;

import org.apache.kafka.clients.producer.ProducerRecord;

/** How the Kafka sink hands records to Kafka for one delivery guarantee. */
interface KafkaWriter extends AutoCloseable {
  void send(ProducerRecord<byte[], byte[]> record) throws Exception;

  /** At checkpoint {@code checkpointId}'s barrier: make what was sent durable, or ready to be. */
  void preCommit(long checkpointId) throws Exception;

  /** Checkpoint {@code checkpointId} completed: publish what it covers. */
  void commit(long checkpointId) throws Exception;

  /** Stops without committing; what is not committed is aborted by the next run. */
  @Override
  void close();
}
