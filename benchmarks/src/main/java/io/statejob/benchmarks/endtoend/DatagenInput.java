package io.statejob.benchmarks.endtoend;

import java.util.List;
import java.util.Map;

/**
 * StateJob's datagen events, read by {@code KeyedCountJob} and by Flink's {@code
 * FlinkDatagenKeyedCount} (which computes the same events from their sequence numbers); both
 * discard their output.
 */
final class DatagenInput implements JobInput {
  private final Map<Backend, Long> events;
  private final int keys;

  DatagenInput(Map<Backend, Long> events, int keys) {
    this.events = events;
    this.keys = keys;
  }

  @Override
  public String benchmark() {
    return "datagen-keyed-count";
  }

  @Override
  public long records(Backend backend) {
    Long count = events.get(backend);
    if (count == null) {
      throw new IllegalArgumentException("--datagen-events names no count for " + backend);
    }
    return count;
  }

  @Override
  public String stateJobClass() {
    return "io.statejob.examples.KeyedCountJob";
  }

  @Override
  public List<String> stateJobArguments(String run, Backend backend) {
    return List.of(
        "--events",
        String.valueOf(records(backend)),
        "--keys",
        String.valueOf(keys),
        "--sink",
        "discard");
  }

  @Override
  public Map<String, String> stateJobConfig() {
    return Map.of();
  }

  @Override
  public String flinkClass() {
    return "io.statejob.benchmarks.flink.FlinkDatagenKeyedCount";
  }

  @Override
  public List<String> flinkArguments(String run, Backend backend) {
    return List.of("--events", String.valueOf(records(backend)), "--keys", String.valueOf(keys));
  }
}
