package io.statejob.benchmarks.flink;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.ParameterTool;

/**
 * The job of StateJob's {@code KafkaKeyedCountJob}, written for Flink: {@code key,value} records
 * from a topic, read from the earliest offset to the end offsets at start ({@code read_committed}),
 * count and sum per key in two {@code ValueState}s, {@code key,count,sum} after every update to a
 * topic through an exactly-once {@code KafkaSink} keyed by the key. Runs on a MiniCluster in this
 * JVM and prints {@code netRuntimeMs=<ms>}: Flink's own time from the job's submission to its end,
 * which leaves out the MiniCluster's start.
 *
 * <p>Arguments: {@code --bootstrap-servers --input-topic --output-topic --parallelism --backend
 * hashmap|rocksdb --checkpoint-interval 1s --checkpoint-dir URI --local-dir PATH}.
 */
public final class FlinkKafkaKeyedCount {
  private FlinkKafkaKeyedCount() {}

  public static void main(String[] args) throws Exception {
    ParameterTool params = ParameterTool.fromArgs(args);
    String servers = params.getRequired("bootstrap-servers");
    String backend = params.get("backend", "hashmap");
    int parallelism = params.getInt("parallelism", 1);

    Configuration config =
        Configuration.fromMap(
            Map.of(
                "state.backend.type", backend,
                "execution.checkpointing.incremental", String.valueOf(backend.equals("rocksdb")),
                "execution.checkpointing.interval", params.get("checkpoint-interval", "1s"),
                "execution.checkpointing.dir", params.getRequired("checkpoint-dir"),
                "state.backend.rocksdb.localdir", params.getRequired("local-dir"),
                "taskmanager.numberOfTaskSlots", String.valueOf(parallelism),
                // a failure ends the run at once, as a benchmark must not measure recovery
                "restart-strategy.type", "none"));
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(parallelism, config);

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
        .process(new CountAndSum())
        .uid("count-and-sum")
        .sinkTo(sink);

    JobExecutionResult result = env.execute("flink-kafka-keyed-count");
    System.out.println("netRuntimeMs=" + result.getNetRuntime(TimeUnit.MILLISECONDS));
  }

  static String keyOf(String line) {
    return line.substring(0, line.indexOf(','));
  }

  /** Count and sum per key, as StateJob's {@code KeyedCountJob.CountAndSum}. */
  static final class CountAndSum extends KeyedProcessFunction<String, String, String> {
    private transient ValueState<Long> count;
    private transient ValueState<Long> sum;

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext context) {
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
      sum = getRuntimeContext().getState(new ValueStateDescriptor<>("sum", Types.LONG));
    }

    @Override
    public void processElement(String line, Context context, Collector<String> out)
        throws Exception {
      String key = keyOf(line);
      long value = Long.parseLong(line.substring(key.length() + 1).trim());
      Long previousCount = count.value();
      Long previousSum = sum.value();
      long newCount = previousCount == null ? 1 : previousCount + 1;
      long newSum = previousSum == null ? value : previousSum + value;
      count.update(newCount);
      sum.update(newSum);
      out.collect(key + ',' + newCount + ',' + newSum);
    }
  }
}
