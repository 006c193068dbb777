package io.statejob.benchmarks.endtoend;

import io.statejob.runtime.testing.KafkaTestData;
import io.statejob.runtime.testing.LocalKafkaBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One input topic on a local KRaft broker, written once; each run reads all of it ({@code --start
 * earliest --bounded latest}, {@code read_committed}) into a fresh output topic, exactly once,
 * which is then checked against the expected {@code key,count,sum} lines.
 */
final class KafkaInput implements JobInput {
  private static final String INPUT_TOPIC = "input";

  private final LocalKafkaBroker broker;
  private final long records;
  private final int partitions;
  private final List<String> expected;

  private KafkaInput(LocalKafkaBroker broker, long records, int keys, int partitions) {
    this.broker = broker;
    this.records = records;
    this.partitions = partitions;
    this.expected = KafkaTestData.expectedOutput(records, keys);
  }

  /** Starts a broker under {@code dir} and writes the input topic. */
  static KafkaInput start(Path dir, long records, int keys, int partitions) throws Exception {
    LocalKafkaBroker broker = LocalKafkaBroker.start(dir);
    try {
      broker.createTopic(INPUT_TOPIC, partitions);
      KafkaTestData.produce(broker, INPUT_TOPIC, 0, records, keys);
      return new KafkaInput(broker, records, keys, partitions);
    } catch (Exception e) {
      broker.close();
      throw e;
    }
  }

  @Override
  public String benchmark() {
    return "kafka-keyed-count";
  }

  @Override
  public long records(Backend backend) {
    return records;
  }

  @Override
  public String stateJobClass() {
    return "io.statejob.examples.KafkaKeyedCountJob";
  }

  @Override
  public List<String> stateJobArguments(String run, Backend backend) {
    return List.of(
        "--input-topic",
        INPUT_TOPIC,
        "--output-topic",
        run,
        "--group-id",
        run,
        "--start",
        "earliest",
        "--bounded",
        "latest");
  }

  @Override
  public Map<String, String> stateJobConfig() {
    return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
  }

  @Override
  public String flinkClass() {
    return "io.statejob.benchmarks.flink.FlinkKafkaKeyedCount";
  }

  @Override
  public List<String> flinkArguments(String run, Backend backend) {
    return List.of(
        "--bootstrap-servers",
        broker.bootstrapServers(),
        "--input-topic",
        INPUT_TOPIC,
        "--output-topic",
        run);
  }

  @Override
  public void prepare(String run) throws Exception {
    broker.createTopic(run, partitions);
  }

  @Override
  public void checkOutput(String run) {
    List<String> output = KafkaTestData.readCommitted(broker, run).stream().sorted().toList();
    if (!output.equals(expected)) {
      throw new IllegalStateException(
          run + " wrote " + output.size() + " records, not the " + expected.size() + " expected");
    }
  }

  @Override
  public void close() {
    broker.close();
  }
}
