package io.statejob.benchmarks.flink;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * The job of StateJob's {@code KafkaKeyedCountJob}, written for Flink: {@code key,value} records
 * from a topic, read from the earliest offset to the end offsets at start ({@code read_committed}),
 * count and sum per key in two {@code ValueState}s, {@code key,count,sum} after every update to a
 * topic through an exactly-once {@code KafkaSink} keyed by the key.
 *
 * <p>Arguments: {@code --bootstrap-servers --input-topic --output-topic} and those of {@link
 * FlinkJobs#environment}.
 */
public final class FlinkKafkaKeyedCount {
  private FlinkKafkaKeyedCount() {}

  public static void main(String[] args) throws Exception {
    ParameterTool params = ParameterTool.fromArgs(args);
    String servers = params.getRequired("bootstrap-servers");
    StreamExecutionEnvironment env = FlinkJobs.environment(params);

    KafkaSource<String> source =
        KafkaSource.<String>builder()
            .setBootstrapServers(servers)
            .setTopics(params.getRequired("input-topic"))
            .setGroupId("flink-kafka-keyed-count")
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.latest())
            .setProperty("isolation.level", "read_committed")
            .setValueOnlyDeserializer(new SimpleStringSchema())
            .build();
    KafkaSink<String> sink =
        KafkaSink.<String>builder()
            .setBootstrapServers(servers)
            .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
            .setTransactionalIdPrefix("flink-bench-" + System.nanoTime())
            // Flink's default (1 h) exceeds the broker's transaction.max.timeout.ms (15 min),
            // which StateJob's sink defaults to
            .setProperty("transaction.timeout.ms", "900000")
            .setRecordSerializer(
                KafkaRecordSerializationSchema.<String>builder()
                    .setTopic(params.getRequired("output-topic"))
                    .setKeySerializationSchema(line -> keyOf(line).getBytes(StandardCharsets.UTF_8))
                    .setValueSerializationSchema(new SimpleStringSchema())
                    .build())
            .build();

    env.fromSource(source, WatermarkStrategy.noWatermarks(), "kafka")
        .keyBy(FlinkKafkaKeyedCount::keyOf)
        .process(new CountAndSum<String>(FlinkKafkaKeyedCount::valueOf))
        .uid("count-and-sum")
        .sinkTo(sink);

    FlinkJobs.executeAndReport(env, "flink-kafka-keyed-count");
  }

  static String keyOf(String line) {
    return line.substring(0, line.indexOf(','));
  }

  static long valueOf(String line) {
    return Long.parseLong(line.substring(line.indexOf(',') + 1).trim());
  }
}
