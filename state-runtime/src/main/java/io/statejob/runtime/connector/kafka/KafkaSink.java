package io.statejob.runtime.connector.kafka;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.api.CheckpointListener;
import io.statejob.runtime.api.CheckpointedFunction;
import io.statejob.runtime.api.JobParameters;
import io.statejob.runtime.api.KeySelector;
import io.statejob.runtime.api.Sink;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.execution.RestartStrategy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes records to a Kafka topic with the plain {@code kafka-clients} producer, with the delivery
 * guarantee chosen ({@link DeliveryGuarantee}); exactly once by default, through {@link
 * KafkaTransactions}. A key selector picks each record's key, and so its partition.
 */
public final class KafkaSink<T> implements Sink<T>, CheckpointedFunction, CheckpointListener {
  /** The producers' transaction timeout unless {@code kafka.transaction.timeout.ms} says. */
  static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

  private final Map<String, Object> settings;
  private final String topic;
  private final KafkaRecordSerializer<T> serializer;
  private final KeySelector<T, String> keySelector;
  private final DeliveryGuarantee delivery;
  private final String transactionalIdPrefix;
  private KafkaWriter writer;

  private KafkaSink(Builder<T> builder) {
    this.settings = builder.settings;
    this.topic = builder.topic;
    this.serializer = builder.serializer;
    this.keySelector = builder.keySelector;
    this.delivery = builder.delivery;
    this.transactionalIdPrefix = builder.transactionalIdPrefix;
  }

  /**
   * A sink configured by the job's arguments: {@code --output-topic}, {@code --bootstrap-servers},
   * {@code --delivery exactly-once|at-least-once|none} (default exactly-once), {@code
   * --transactional-id-prefix} (default {@code statejob-<job id>}); and the {@code kafka.*} keys of
   * the runtime configuration.
   */
  public static <T> KafkaSink<T> fromParameters(
      StreamEnvironment env, KafkaRecordSerializer<T> serializer, KeySelector<T, String> key) {
    JobParameters parameters = env.parameters();
    String topic = parameters.get("output-topic", null);
    if (topic == null) {
      throw new IllegalArgumentException(
          "the Kafka sink needs job argument --output-topic <topic>");
    }
    Builder<T> builder =
        builder(env, Optional.ofNullable(parameters.get("bootstrap-servers", null)), serializer)
            .topic(topic)
            .key(key)
            .delivery(DeliveryGuarantee.parse(parameters.get("delivery", "exactly-once")));
    String prefix = parameters.get("transactional-id-prefix", null);
    if (prefix != null) {
      builder.transactionalIdPrefix(prefix);
    }
    return builder.build();
  }

  public static <T> Builder<T> builder(
      StreamEnvironment env,
      Optional<String> bootstrapServers,
      KafkaRecordSerializer<T> serializer) {
    return new Builder<>(
        env.config(), KafkaClientSettings.from(env.config(), bootstrapServers), serializer);
  }

  @Override
  public String name() {
    return "kafka " + topic + " (" + delivery.argument() + ")";
  }

  @Override
  public void initializeState(InitializationContext context) throws Exception {
    writer =
        delivery == DeliveryGuarantee.EXACTLY_ONCE
            ? new KafkaTransactions(settings, transactionalIdPrefix, context)
            : new KafkaPlainWriter(settings, delivery == DeliveryGuarantee.AT_LEAST_ONCE);
  }

  @Override
  public void write(T record) throws Exception {
    String key = keySelector == null ? null : keySelector.getKey(record);
    writer.send(
        new ProducerRecord<>(
            topic,
            key == null ? null : key.getBytes(StandardCharsets.UTF_8),
            serializer.serialize(record)));
  }

  @Override
  public void snapshotState(long checkpointId) throws Exception {
    writer.preCommit(checkpointId);
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws Exception {
    writer.commit(checkpointId);
  }

  @Override
  public void close() {
    if (writer != null) {
      writer.close();
    }
  }

  /** Settings of a {@link KafkaSink}. */
  public static final class Builder<T> {
    private final RuntimeConfig config;
    private final Map<String, Object> settings;
    private final KafkaRecordSerializer<T> serializer;
    private String topic;
    private KeySelector<T, String> keySelector;
    private DeliveryGuarantee delivery = DeliveryGuarantee.EXACTLY_ONCE;
    private String transactionalIdPrefix;

    private Builder(
        RuntimeConfig config, Map<String, Object> settings, KafkaRecordSerializer<T> serializer) {
      this.config = config;
      this.settings = settings;
      this.serializer = serializer;
    }

    public Builder<T> topic(String topic) {
      this.topic = topic;
      return this;
    }

    /** The record key, UTF-8; records with equal keys go to the same partition. */
    public Builder<T> key(KeySelector<T, String> keySelector) {
      this.keySelector = keySelector;
      return this;
    }

    public Builder<T> delivery(DeliveryGuarantee delivery) {
      this.delivery = delivery;
      return this;
    }

    /**
     * The start of the sink's transactional ids, {@code <prefix>-<worker>-<n>}; unique per job on a
     * cluster, and stable across its restarts so that they fence the transactions of a crashed run.
     */
    public Builder<T> transactionalIdPrefix(String prefix) {
      this.transactionalIdPrefix = prefix;
      return this;
    }

    /** A producer setting, e.g. {@code compression.type}. */
    public Builder<T> property(String key, Object value) {
      settings.put(key, value);
      return this;
    }

    /**
     * @throws IllegalArgumentException when exactly-once's transaction timeout is shorter than a
     *     transaction may have to live: the checkpoint interval, the checkpoint timeout and a
     *     restart
     */
    public KafkaSink<T> build() {
      if (topic == null) {
        throw new IllegalArgumentException("a Kafka sink needs a topic");
      }
      if (delivery == DeliveryGuarantee.EXACTLY_ONCE) {
        settings.putIfAbsent(
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
            String.valueOf(DEFAULT_TRANSACTION_TIMEOUT.toMillis()));
        checkTransactionTimeout();
        if (transactionalIdPrefix == null) {
          transactionalIdPrefix =
              "statejob-"
                  + config
                      .getOptional(RuntimeOptions.JOB_ID)
                      .orElseThrow(
                          () ->
                              new IllegalArgumentException(
                                  "the exactly-once Kafka sink needs --transactional-id-prefix"
                                      + " when the job has no id"));
        }
      }
      return new KafkaSink<>(this);
    }

    private void checkTransactionTimeout() {
      long timeoutMs;
      try {
        timeoutMs =
            Long.parseLong(String.valueOf(settings.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "kafka.transaction.timeout.ms: '"
                + settings.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)
                + "' is not a number of milliseconds");
      }
      Duration interval = config.get(RuntimeOptions.CHECKPOINT_INTERVAL);
      Duration checkpointTimeout = config.get(RuntimeOptions.CHECKPOINT_TIMEOUT);
      Duration restartDelay = RestartStrategy.from(config).maxDelay();
      Duration needed = interval.plus(checkpointTimeout).plus(restartDelay);
      if (timeoutMs < needed.toMillis()) {
        throw new IllegalArgumentException(
            "kafka.transaction.timeout.ms is "
                + timeoutMs
                + " ms, shorter than a transaction of the exactly-once Kafka sink may have to live: "
                + RuntimeOptions.CHECKPOINT_INTERVAL.key()
                + " ("
                + interval
                + ") + "
                + RuntimeOptions.CHECKPOINT_TIMEOUT.key()
                + " ("
                + checkpointTimeout
                + ") + "
                + "the longest restart delay ("
                + restartDelay
                + ") = "
                + needed.toMillis()
                + " ms. Kafka would abort a pre-committed transaction and lose its records. Raise"
                + " the timeout (the broker caps it at transaction.max.timeout.ms, 15 min by"
                + " default) or shorten the checkpoint timeout");
      }
    }
  }
}
