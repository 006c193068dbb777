package io.statejob.runtime.connector.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;

/** Turns a record of the job into the bytes of a Kafka record's value. */
@FunctionalInterface
public interface KafkaRecordSerializer<T> {
  byte[] serialize(T record) throws Exception;

  /** {@code String.valueOf(record)} as UTF-8. */
  static <T> KafkaRecordSerializer<T> string() {
    return record -> String.valueOf(record).getBytes(StandardCharsets.UTF_8);
  }

  static KafkaRecordSerializer<byte[]> bytes() {
    return record -> record;
  }

  /** The record as JSON, written by Jackson. */
  static <T> KafkaRecordSerializer<T> json() {
    ObjectMapper mapper = new ObjectMapper();
    return mapper::writeValueAsBytes;
  }
}
