package io.statejob.runtime.connector.kafka;

import io.statejob.runtime.api.Source;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer for all partitions a worker reads: it lists partitions, resolves where each starts,
 * polls without blocking and keeps what a poll returned per partition until that partition's reader
 * takes it. Used from the worker's source task thread only, as a consumer must be.
 */
final class KafkaPartitionFetcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPartitionFetcher.class);

  /** After a poll that returned nothing, the next waits this long: the task stays responsive. */
  private static final long EMPTY_POLL_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final Map<String, Object> settings;
  private final KafkaStart start;
  private final boolean bounded;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> buffers =
      new LinkedHashMap<>();
  private final Map<TopicPartition, Long> stopOffsets = new HashMap<>();

  /** Partitions to start where {@link #start} says, once, together. */
  private final Set<TopicPartition> unresolved = new LinkedHashSet<>();

  /** Bounded partitions whose end offset is still to be looked up. */
  private final Set<TopicPartition> withoutStop = new LinkedHashSet<>();

  private long nextPollNanos;

  /** The latest offsets sent to the group whose commit is not confirmed yet: retried at close. */
  private Map<TopicPartition, OffsetAndMetadata> unconfirmedCommit = Map.of();

  KafkaPartitionFetcher(Map<String, Object> settings, KafkaStart start, boolean bounded) {
    this.settings = settings;
    this.start = start;
    this.bounded = bounded;
    Map<String, Object> consumerSettings = new HashMap<>(settings);
    consumerSettings.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerSettings.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    consumerSettings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // starts are resolved explicitly; this only applies to an offset the log no longer has
    consumerSettings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer =
        new KafkaConsumer<>(
            consumerSettings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * The partitions of {@code topics}, or of every topic matching {@code pattern}, as the brokers
   * have them now: {@code listTopics} asks them each time, where {@code partitionsFor} answers from
   * the consumer's metadata cache, which would hide partitions added since (for up to {@code
   * metadata.max.age.ms}).
   */
  List<TopicPartition> partitions(List<String> topics, Pattern pattern) {
    try {
      List<PartitionInfo> infos = new ArrayList<>();
      Map<String, List<PartitionInfo>> listed = consumer.listTopics();
      if (pattern != null) {
        listed.forEach(
            (topic, partitions) -> {
              if (pattern.matcher(topic).matches()) {
                infos.addAll(partitions);
              }
            });
      } else {
        for (String topic : topics) {
          List<PartitionInfo> partitions = listed.get(topic);
          if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException(
                "Kafka topic '"
                    + topic
                    + "' does not exist on "
                    + KafkaClientSettings.servers(settings)
                    + "; create it, or fix --input-topic");
          }
          infos.addAll(partitions);
        }
      }
      return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    } catch (KafkaException e) {
      throw new IllegalStateException(
          "cannot list the partitions of "
              + (pattern != null ? "topics matching /" + pattern + "/" : "topic(s) " + topics)
              + " on Kafka at "
              + KafkaClientSettings.servers(settings)
              + ": "
              + e,
          e);
    }
  }

  /** Reads {@code partition} from {@code offset}, or where the start says for the initial one. */
  void add(TopicPartition partition, long offset) {
    buffers.put(partition, new ArrayDeque<>());
    consumer.assign(buffers.keySet());
    if (offset == Source.INITIAL_OFFSET) {
      unresolved.add(partition);
    } else {
      consumer.seek(partition, offset);
    }
    if (bounded) {
      withoutStop.add(partition);
    }
  }

  /** The next record of {@code partition} fetched so far, or null. */
  ConsumerRecord<byte[], byte[]> next(TopicPartition partition) {
    ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = buffers.get(partition);
    if (buffer.isEmpty() && System.nanoTime() - nextPollNanos >= 0) {
      poll();
    }
    return buffer.poll();
  }

  private void poll() {
    resolve();
    ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ZERO);
    for (TopicPartition partition : records.partitions()) {
      ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = buffers.get(partition);
      if (buffer != null) {
        buffer.addAll(records.records(partition));
      }
    }
    nextPollNanos = System.nanoTime() + (records.isEmpty() ? EMPTY_POLL_BACKOFF_NANOS : 0);
  }

  /** How long until {@link #next} may find a record of {@code partition}. */
  long nanosUntilNext(TopicPartition partition) {
    return buffers.get(partition).isEmpty() ? Math.max(0, nextPollNanos - System.nanoTime()) : 0;
  }

  /**
   * The offset of the record {@link #next} returns next: the first buffered one, else the
   * consumer's position, which is past transaction markers as well.
   */
  long offset(TopicPartition partition) {
    ConsumerRecord<byte[], byte[]> first = buffers.get(partition).peek();
    if (first != null) {
      return first.offset();
    }
    resolve();
    return consumer.position(partition);
  }

  /**
   * The records of {@code partition} not yet returned: those fetched and buffered, and the
   * consumer's lag behind the end its last fetch saw (the last stable offset, as it reads
   * committed); -1 before a fetch told it.
   */
  long pendingRecords(TopicPartition partition) {
    java.util.OptionalLong lag = consumer.currentLag(partition);
    return lag.isPresent() ? lag.getAsLong() + buffers.get(partition).size() : -1;
  }

  /** Whether a bounded partition has been read up to the end it had when reading began. */
  boolean reachedStop(TopicPartition partition) {
    if (!bounded || !buffers.get(partition).isEmpty()) {
      return false;
    }
    resolve();
    return consumer.position(partition) >= stopOffsets.get(partition);
  }

  /** Looks up start and end offsets of partitions added since, in one request each. */
  private void resolve() {
    if (!unresolved.isEmpty()) {
      startOffsets(unresolved).forEach(consumer::seek);
      unresolved.clear();
    }
    if (!withoutStop.isEmpty()) {
      stopOffsets.putAll(consumer.endOffsets(withoutStop));
      withoutStop.clear();
    }
  }

  private Map<TopicPartition, Long> startOffsets(Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    if (start instanceof KafkaStart.Latest) {
      offsets.putAll(consumer.endOffsets(partitions));
    } else if (start instanceof KafkaStart.Committed) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          consumer.committed(new LinkedHashSet<>(partitions));
      Map<TopicPartition, Long> earliest = consumer.beginningOffsets(partitions);
      for (TopicPartition partition : partitions) {
        OffsetAndMetadata offset = committed.get(partition);
        offsets.put(partition, offset != null ? offset.offset() : earliest.get(partition));
      }
    } else if (start instanceof KafkaStart.Timestamp t) {
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(partition -> query.put(partition, t.epochMillis()));
      Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      for (TopicPartition partition : partitions) {
        OffsetAndTimestamp offset = found.get(partition);
        offsets.put(partition, offset != null ? offset.offset() : end.get(partition));
      }
    } else {
      offsets.putAll(consumer.beginningOffsets(partitions));
    }
    return offsets;
  }

  /**
   * Commits {@code offsets} to the consumer group, asynchronously, for lag monitoring only; a
   * failure is logged and the next checkpoint commits again. Without a group nothing is committed.
   */
  void commitForLag(Map<TopicPartition, Long> offsets) {
    if (!settings.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    offsets.forEach(
        (partition, offset) -> {
          if (buffers.containsKey(partition) && offset >= 0) {
            commit.put(partition, new OffsetAndMetadata(offset));
          }
        });
    if (commit.isEmpty()) {
      return;
    }
    unconfirmedCommit = commit;
    consumer.commitAsync(
        commit,
        (committed, error) -> {
          if (error == null && commit == unconfirmedCommit) {
            unconfirmedCommit = Map.of();
          }
          if (error != null) {
            LOG.atWarn()
                .addKeyValue("group", settings.get(ConsumerConfig.GROUP_ID_CONFIG))
                .addKeyValue("error", error.toString())
                .log("cannot commit offsets to the consumer group (they only show lag)");
          }
        });
  }

  @Override
  public void close() {
    // an asynchronous commit is sent only once the group's coordinator is known: the final
    // checkpoint's offsets would be lost to a close that comes first
    if (!unconfirmedCommit.isEmpty() && !Thread.currentThread().isInterrupted()) {
      try {
        consumer.commitSync(unconfirmedCommit, Duration.ofSeconds(5));
      } catch (KafkaException e) {
        LOG.atWarn()
            .addKeyValue("group", settings.get(ConsumerConfig.GROUP_ID_CONFIG))
            .addKeyValue("error", e.toString())
            .log("cannot commit the last offsets to the consumer group (they only show lag)");
      }
    }
    try {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      // a cancelled task's thread is interrupted: the consumer closed without waiting for the
      // group's answers (the interrupt flag stays set)
      LOG.atDebug().log("closed the consumer without waiting for the group's answers");
    }
  }
}
