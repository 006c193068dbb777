package io.statejob.examples;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.KeyedProcessFunction;
import io.statejob.runtime.api.RuntimeContext;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.connector.kafka.KafkaRecordDeserializer;
import io.statejob.runtime.connector.kafka.KafkaRecordSerializer;
import io.statejob.runtime.connector.kafka.KafkaSink;
import io.statejob.runtime.connector.kafka.KafkaSource;
import io.statejob.runtime.serialization.Serializers;

/**
 * Reads {@code key,value} records (value a long) from {@code --input-topic}, keeps the count and
 * the sum per key in two {@link ValueState}s and writes {@code key,count,sum} after every update to
 * {@code --output-topic}, keyed by the key, with the sink's {@code --delivery} (exactly-once by
 * default). Kafka settings: see {@link KafkaSource#fromParameters} and {@link
 * KafkaSink#fromParameters}.
 */
public final class KafkaKeyedCountJob implements StateJobProgram {
  @Override
  public void build(StreamEnvironment env) {
    env.fromSource(KafkaSource.fromParameters(env, KafkaRecordDeserializer.string()))
        .keyBy(KafkaKeyedCountJob::keyOf, Serializers.STRING)
        .process(new CountAndSum())
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

  /** Emits {@code key,count,sum} for every record. */
  public static final class CountAndSum extends KeyedProcessFunction<String, String, String> {
    private ValueState<Long> count;
    private ValueState<Long> sum;

    @Override
    public void open(RuntimeContext context) {
      count = context.getState(new ValueStateDescriptor<>("count", Serializers.LONG));
      sum = context.getState(new ValueStateDescriptor<>("sum", Serializers.LONG));
    }

    @Override
    public void processElement(String line, Context<String> context, Collector<String> out)
        throws Exception {
      String key = keyOf(line);
      long value;
      try {
        value = Long.parseLong(line.substring(key.length() + 1).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("record '" + line + "' has no long value after the key");
      }
      long newCount = count.value() == null ? 1 : count.value() + 1;
      long newSum = (sum.value() == null ? 0 : sum.value()) + value;
      count.update(newCount);
      sum.update(newSum);
      out.collect(key + "," + newCount + "," + newSum);
    }
  }
}
