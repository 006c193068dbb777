package io.statejob.runtime.connector.kafka;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a Kafka record into the source's record type. It sees the whole record, so a job can read
 * the key, the headers, the topic and partition besides the value.
 */
@FunctionalInterface
public interface KafkaRecordDeserializer<T> {
  /** The record's value, or null to skip the record (a tombstone). */
  T deserialize(ConsumerRecord<byte[], byte[]> record) throws Exception;

  /** The value as UTF-8 text. */
  static KafkaRecordDeserializer<String> string() {
    return record ->
        record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
  }

  /** The value's bytes as they are. */
  static KafkaRecordDeserializer<byte[]> bytes() {
    return ConsumerRecord::value;
  }

  /**
   * The value as JSON, read by Jackson into {@code type} (a record or POJO); properties the type
   * does not have are ignored, so producers may add fields.
   */
  static <T> KafkaRecordDeserializer<T> json(Class<T> type) {
    ObjectMapper mapper =
        new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    return record -> record.value() == null ? null : mapper.readValue(record.value(), type);
  }
}
