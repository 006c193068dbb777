package io.statejob.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/** Input and output of the Kafka tests: {@code key,value} records in, {@code key,count,sum} out. */
public final class KafkaTestData {
  private KafkaTestData() {}

  /** Record {@code n}: key {@code key-(n mod keys)}, value {@code n mod 1000}. */
  public static String record(long n, int keys) {
    return "key-" + (n % keys) + "," + (n % 1000);
  }

  /** Writes records {@code from} until {@code to}, each to the partition of its key. */
  public static void produce(LocalKafkaBroker broker, String topic, long from, long to, int keys) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            broker.clientProperties(), new StringSerializer(), new StringSerializer())) {
      for (long n = from; n < to; n++) {
        String line = record(n, keys);
        producer.send(new ProducerRecord<>(topic, line.substring(0, line.indexOf(',')), line));
      }
    }
  }

  /** Every record of {@code topic} a {@code read_committed} consumer sees now. */
  public static List<String> readCommitted(LocalKafkaBroker broker, String topic) {
    Properties properties = broker.clientProperties();
    properties.put("isolation.level", "read_committed");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<String> values = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
      return values;
    }
  }

  /** Fails unless every Kafka client thread of this JVM ends within a few seconds. */
  public static void assertNoClientThreadsRemain() {
    Awaitility.await("Kafka client threads end")
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(() -> assertThat(clientThreads()).isEmpty());
  }

  /** Kafka client threads and the sink's own, each with where it is: for a leak's message. */
  private static List<String> clientThreads() {
    List<String> threads = new ArrayList<>();
    Thread.getAllStackTraces()
        .forEach(
            (thread, stack) -> {
              String name = thread.getName();
              if (name.startsWith("kafka-producer-network-thread")
                  || name.startsWith("kafka-coordinator-heartbeat-thread")
                  || name.startsWith("consumer_background_thread")
                  || name.startsWith("kafka-sink-producers")) {
                threads.add(
                    name
                        + java.util.Arrays.stream(stack)
                            .limit(12)
                            .map(frame -> "\n    at " + frame)
                            .collect(java.util.stream.Collectors.joining()));
              }
            });
    return threads;
  }

  /** What KafkaKeyedCountJob writes for records {@code 0..records}: every key,count,sum line. */
  public static List<String> expectedOutput(long records, int keys) {
    Map<String, long[]> state = new HashMap<>();
    List<String> lines = new ArrayList<>();
    for (long n = 0; n < records; n++) {
      String line = record(n, keys);
      String key = line.substring(0, line.indexOf(','));
      long[] countAndSum = state.computeIfAbsent(key, k -> new long[2]);
      countAndSum[0]++;
      countAndSum[1] += n % 1000;
      lines.add(key + "," + countAndSum[0] + "," + countAndSum[1]);
    }
    return lines.stream().sorted().toList();
  }
}
