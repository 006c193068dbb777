package io.statejob.runtime.connector.kafka;

import io.statejob.api.config.ConfigValues;
import io.statejob.runtime.api.JobParameters;
import io.statejob.runtime.api.Source;
import io.statejob.runtime.api.SourceSplit;
import io.statejob.runtime.api.StreamEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads Kafka topics with the plain {@code kafka-clients} consumer. Each partition is a split, so
 * the workers read the partitions between them and a checkpoint holds each partition's offset; a
 * restore resumes from those offsets whatever the group has committed. On each completed checkpoint
 * the offsets are committed to the group, only so that lag shows in Kafka's tools.
 *
 * <p>A worker's partitions share one consumer ({@link KafkaPartitionFetcher}); the runtime builds a
 * source instance per worker, so the consumer is the worker's own and used from its source task
 * only. Transactions written by others are read {@code read_committed} unless {@code
 * kafka.isolation.level} says otherwise. Event time is the record's timestamp unless the watermark
 * strategy assigns one.
 */
public final class KafkaSource<T> implements Source<T> {
  private final Map<String, Object> settings;
  private final List<String> topics;
  private final Pattern topicPattern;
  private final KafkaStart start;
  private final boolean bounded;
  private final Duration discoveryInterval;
  private final KafkaRecordDeserializer<T> deserializer;
  private KafkaPartitionFetcher fetcher;

  private KafkaSource(Builder<T> builder) {
    this.settings = builder.settings;
    this.topics = List.copyOf(builder.topics);
    this.topicPattern = builder.topicPattern;
    this.start = builder.start;
    this.bounded = builder.bounded;
    this.discoveryInterval = bounded ? Duration.ZERO : builder.discoveryInterval;
    this.deserializer = builder.deserializer;
  }

  /**
   * A source configured by the job's arguments: {@code --input-topic} (or {@code --topic}; several
   * comma-separated) or {@code --topic-pattern}, {@code --bootstrap-servers}, {@code --group-id},
   * {@code --start earliest|latest|committed|<millis>|<instant>} (default earliest), {@code
   * --bounded latest}, {@code --partition-discovery 30s} (0 turns it off); and the {@code kafka.*}
   * keys of the runtime configuration.
   */
  public static <T> KafkaSource<T> fromParameters(
      StreamEnvironment env, KafkaRecordDeserializer<T> deserializer) {
    JobParameters parameters = env.parameters();
    Builder<T> builder =
        builder(env, Optional.ofNullable(parameters.get("bootstrap-servers", null)), deserializer);
    String pattern = parameters.get("topic-pattern", null);
    String topicList = parameters.get("input-topic", parameters.get("topic", null));
    if (pattern != null) {
      builder.topicPattern(Pattern.compile(pattern));
    } else if (topicList != null) {
      builder.topics(topicList.split(","));
    } else {
      throw new IllegalArgumentException(
          "the Kafka source needs job argument --input-topic <topic> or --topic-pattern <regex>");
    }
    String groupId = parameters.get("group-id", null);
    if (groupId != null) {
      builder.property("group.id", groupId);
    }
    builder.start(KafkaStart.parse(parameters.get("start", "earliest")));
    String bounded = parameters.get("bounded", null);
    if (bounded != null) {
      if (!bounded.equals("latest")) {
        throw new IllegalArgumentException(
            "job argument --bounded: '" + bounded + "' is not latest, the only bound supported");
      }
      builder.boundedAtLatest();
    }
    String discovery = parameters.get("partition-discovery", "30s");
    try {
      builder.partitionDiscovery(
          discovery.equals("0") ? Duration.ZERO : ConfigValues.parseDuration(discovery));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("job argument --partition-discovery: " + e.getMessage());
    }
    return builder.build();
  }

  /**
   * A builder with the job's {@code kafka.*} settings and {@code bootstrapServers}, when given,
   * over {@code kafka.bootstrap.servers}.
   */
  public static <T> Builder<T> builder(
      StreamEnvironment env,
      Optional<String> bootstrapServers,
      KafkaRecordDeserializer<T> deserializer) {
    return new Builder<>(KafkaClientSettings.from(env.config(), bootstrapServers), deserializer);
  }

  @Override
  public String name() {
    return "kafka " + (topicPattern != null ? "/" + topicPattern + "/" : String.join(",", topics));
  }

  @Override
  public List<SourceSplit> splits() {
    return fetcher().partitions(topics, topicPattern).stream()
        .map(tp -> new SourceSplit(tp.toString()))
        .toList();
  }

  @Override
  public Reader<T> createReader(SourceSplit split, long startOffset) {
    return new KafkaPartitionReader<>(fetcher(), partitionOf(split), startOffset, deserializer);
  }

  @Override
  public Duration discoveryInterval() {
    return discoveryInterval;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId, Map<String, Long> offsets) {
    if (fetcher == null) {
      return;
    }
    Map<TopicPartition, Long> byPartition = new HashMap<>();
    offsets.forEach((id, offset) -> byPartition.put(partitionOf(new SourceSplit(id)), offset));
    fetcher.commitForLag(byPartition);
  }

  @Override
  public void close() {
    if (fetcher != null) {
      fetcher.close();
      fetcher = null;
    }
  }

  private KafkaPartitionFetcher fetcher() {
    if (fetcher == null) {
      fetcher = new KafkaPartitionFetcher(settings, start, bounded);
    }
    return fetcher;
  }

  /** A split id is {@link TopicPartition#toString}: the topic, a dash, the partition. */
  static TopicPartition partitionOf(SourceSplit split) {
    String id = split.id();
    int dash = id.lastIndexOf('-');
    try {
      return new TopicPartition(id.substring(0, dash), Integer.parseInt(id.substring(dash + 1)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "split '" + id + "' is not a Kafka partition (topic-partition)", e);
    }
  }

  /** Settings of a {@link KafkaSource}. */
  public static final class Builder<T> {
    private final Map<String, Object> settings;
    private final KafkaRecordDeserializer<T> deserializer;
    private final List<String> topics = new ArrayList<>();
    private Pattern topicPattern;
    private KafkaStart start = KafkaStart.EARLIEST;
    private boolean bounded;
    private Duration discoveryInterval = Duration.ofSeconds(30);

    private Builder(Map<String, Object> settings, KafkaRecordDeserializer<T> deserializer) {
      this.settings = settings;
      this.deserializer = deserializer;
    }

    public Builder<T> topics(String... names) {
      topics.addAll(List.of(names));
      return this;
    }

    /** Every topic whose name matches, including topics created while the job runs. */
    public Builder<T> topicPattern(Pattern pattern) {
      this.topicPattern = pattern;
      return this;
    }

    public Builder<T> start(KafkaStart start) {
      this.start = start;
      return this;
    }

    /**
     * Reads up to the end offsets the partitions have when the job starts, then finishes: a final
     * checkpoint and exit 0, as Flink's {@code setBounded(OffsetsInitializer.latest())}.
     */
    public Builder<T> boundedAtLatest() {
      this.bounded = true;
      return this;
    }

    /** How often new partitions are looked for; zero turns discovery off. */
    public Builder<T> partitionDiscovery(Duration interval) {
      this.discoveryInterval = interval;
      return this;
    }

    /** A consumer setting, e.g. {@code group.id} or {@code max.poll.records}. */
    public Builder<T> property(String key, Object value) {
      settings.put(key, value);
      return this;
    }

    public KafkaSource<T> build() {
      if (topics.isEmpty() == (topicPattern == null)) {
        throw new IllegalArgumentException(
            "a Kafka source reads either topics or a topic pattern, and needs one of them");
      }
      if (start instanceof KafkaStart.Committed && !settings.containsKey("group.id")) {
        throw new IllegalArgumentException(
            "--start committed reads the consumer group's offsets: give --group-id");
      }
      return new KafkaSource<>(this);
    }
  }
}
