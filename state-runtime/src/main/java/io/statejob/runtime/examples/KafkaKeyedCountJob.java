package io.statejob.examples;

import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.connector.kafka.KafkaRecordDeserializer;
import io.statejob.runtime.connector.kafka.KafkaRecordSerializer;
import io.statejob.runtime.connector.kafka.KafkaSink;
import io.statejob.runtime.connector.kafka.KafkaSource;
import io.statejob.runtime.serialization.Serializers;

/**
 * Reads {@code key,value} records (value a long) from {@code --input-topic}, keeps the count and
 * the sum per key in two {@code ValueState}s ({@link KeyedCountJob.CountAndSum}) and writes {@code
 * key,count,sum} after every update to {@code --output-topic}, keyed by the key, with the sink's
 * {@code --delivery} (exactly-once by default). Kafka settings: see {@link
 * KafkaSource#fromParameters} and {@link KafkaSink#fromParameters}.
 */
public final class KafkaKeyedCountJob implements StateJobProgram {
  @Override
  public void build(StreamEnvironment env) {
    env.fromSource(KafkaSource.fromParameters(env, KafkaRecordDeserializer.string()))
        .keyBy(KafkaKeyedCountJob::keyOf, Serializers.STRING)
        .process(new KeyedCountJob.CountAndSum<>(KafkaKeyedCountJob::valueOf))
        .uid("count-and-sum")
        .sinkTo(
            KafkaSink.fromParameters(
                env, KafkaRecordSerializer.string(), KafkaKeyedCountJob::keyOf));
  }

  /** The text before the first comma. */
  static String keyOf(String line) {
    int comma = line.indexOf(',');
    if (comma < 0) {
      throw new IllegalArgumentException("record '" + line + "' is not key,value");
    }
    return line.substring(0, comma);
  }

  /** The long after the first comma. */
  static long valueOf(String line) {
    try {
      return Long.parseLong(line.substring(keyOf(line).length() + 1).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("record '" + line + "' has no long value after the key");
    }
  }
}
