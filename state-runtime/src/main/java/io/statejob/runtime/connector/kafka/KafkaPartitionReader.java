package io.statejob.runtime.connector.kafka;

import io.statejob.runtime.api.Source;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;

/**
 * One partition's reader: takes its records from the worker's {@link KafkaPartitionFetcher}. It
 * holds nothing of its own to close: the source closes the consumer when the worker's task ends.
 */
final class KafkaPartitionReader<T> implements Source.Reader<T> {
  private final KafkaPartitionFetcher fetcher;
  private final TopicPartition partition;
  private final KafkaRecordDeserializer<T> deserializer;
  private long timestamp = Long.MIN_VALUE;
  private boolean finished;

  KafkaPartitionReader(
      KafkaPartitionFetcher fetcher,
      TopicPartition partition,
      long startOffset,
      KafkaRecordDeserializer<T> deserializer) {
    this.fetcher = fetcher;
    this.partition = partition;
    this.deserializer = deserializer;
    fetcher.add(partition, startOffset);
  }

  @Override
  public T next() throws Exception {
    while (true) {
      ConsumerRecord<byte[], byte[]> record = fetcher.next(partition);
      if (record == null) {
        finished = fetcher.reachedStop(partition);
        return null;
      }
      T value = deserializer.deserialize(record);
      if (value != null) {
        timestamp =
            record.timestampType() == TimestampType.NO_TIMESTAMP_TYPE
                ? Long.MIN_VALUE
                : record.timestamp();
        return value;
      }
    }
  }

  @Override
  public long timestampOf(T record) {
    return timestamp;
  }

  @Override
  public long offset() {
    return fetcher.offset(partition);
  }

  @Override
  public boolean isFinished() {
    return finished;
  }

  @Override
  public long pendingRecords() {
    return fetcher.pendingRecords(partition);
  }

  @Override
  public long nanosUntilNext() {
    return fetcher.nanosUntilNext(partition);
  }
}
