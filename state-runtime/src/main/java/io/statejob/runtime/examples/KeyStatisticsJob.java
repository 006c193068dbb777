package io.statejob.examples;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.KeyedProcessFunction;
import io.statejob.runtime.api.RuntimeContext;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.api.state.AggregateFunction;
import io.statejob.runtime.api.state.AggregatingState;
import io.statejob.runtime.api.state.AggregatingStateDescriptor;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.api.state.MapState;
import io.statejob.runtime.api.state.MapStateDescriptor;
import io.statejob.runtime.api.state.ReducingState;
import io.statejob.runtime.api.state.ReducingStateDescriptor;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.connector.Sinks;
import io.statejob.runtime.serialization.PojoSerializer;
import io.statejob.runtime.serialization.Serializers;
import java.util.ArrayList;
import java.util.List;

/**
 * Per key: the last five values ({@link ListState}), a histogram of values by hundreds ({@link
 * MapState}), the maximum ({@link ReducingState}) and the mean ({@link AggregatingState} with a
 * POJO accumulator).
 */
public final class KeyStatisticsJob implements StateJobProgram {
  static final int RECENT = 5;

  @Override
  public void build(StreamEnvironment env) {
    env.fromSource(DatagenSource.fromParameters(env.parameters()))
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .process(new Statistics())
        .uid("statistics")
        .sinkTo(Sinks.fromParameters(env.parameters()));
  }

  /** The mean's accumulator; a POJO, serialized by {@link PojoSerializer}. */
  public static final class MeanAccumulator {
    public long count;
    public long sum;
  }

  /** The mean of the values added. */
  public static final class Mean implements AggregateFunction<Long, MeanAccumulator, Double> {
    @Override
    public MeanAccumulator createAccumulator() {
      return new MeanAccumulator();
    }

    @Override
    public MeanAccumulator add(Long value, MeanAccumulator accumulator) {
      accumulator.count++;
      accumulator.sum += value;
      return accumulator;
    }

    @Override
    public Double getResult(MeanAccumulator accumulator) {
      return accumulator.count == 0 ? 0.0 : (double) accumulator.sum / accumulator.count;
    }
  }

  /** Emits {@code key max=.. mean=.. recent=[..]} for every event. */
  static final class Statistics extends KeyedProcessFunction<String, DatagenEvent, String> {
    private ListState<Long> recent;
    private MapState<String, Long> histogram;
    private ReducingState<Long> max;
    private AggregatingState<Long, Double> mean;

    @Override
    public void open(RuntimeContext context) {
      recent = context.getListState(new ListStateDescriptor<>("recent", Serializers.LONG));
      histogram =
          context.getMapState(
              new MapStateDescriptor<>("histogram", Serializers.STRING, Serializers.LONG));
      max =
          context.getReducingState(
              new ReducingStateDescriptor<>("max", Math::max, Serializers.LONG));
      mean =
          context.getAggregatingState(
              new AggregatingStateDescriptor<>(
                  "mean", new Mean(), new PojoSerializer<>(MeanAccumulator.class)));
    }

    @Override
    public void processElement(DatagenEvent event, Context<String> context, Collector<String> out)
        throws Exception {
      List<Long> values = new ArrayList<>();
      recent.get().forEach(values::add);
      values.add(event.value());
      recent.update(values.subList(Math.max(0, values.size() - RECENT), values.size()));
      String bucket = (event.value() / 100 * 100) + "-" + (event.value() / 100 * 100 + 99);
      Long inBucket = histogram.get(bucket);
      histogram.put(bucket, inBucket == null ? 1 : inBucket + 1);
      max.add(event.value());
      mean.add(event.value());
      out.collect(event.key() + " max=" + max.get() + " mean=" + mean.get() + " recent=" + values);
    }
  }
}
