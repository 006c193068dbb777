package io.statejob.examples;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.KeyedProcessFunction;
import io.statejob.runtime.api.RuntimeContext;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.connector.Sinks;
import io.statejob.runtime.serialization.Serializers;
import java.util.function.ToLongFunction;

/** Counts events and sums their values per key, in two {@link ValueState}s. */
public final class KeyedCountJob implements StateJobProgram {
  @Override
  public void build(StreamEnvironment env) {
    env.fromSource(DatagenSource.fromParameters(env.parameters()))
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .process(CountAndSum.ofEvents())
        .uid("count-and-sum")
        .sinkTo(Sinks.fromParameters(env.parameters()));
  }

  /** Emits {@code key,count,sum} for every record: the key's count and sum of values so far. */
  public static final class CountAndSum<T> extends KeyedProcessFunction<String, T, String> {
    private final ToLongFunction<T> valueOf;
    private ValueState<Long> count;
    private ValueState<Long> sum;

    /** Over datagen events and their values. */
    public static CountAndSum<DatagenEvent> ofEvents() {
      return new CountAndSum<>(DatagenEvent::value);
    }

    public CountAndSum(ToLongFunction<T> valueOf) {
      this.valueOf = valueOf;
    }

    @Override
    public void open(RuntimeContext context) {
      count = context.getState(new ValueStateDescriptor<>("count", Serializers.LONG));
      sum = context.getState(new ValueStateDescriptor<>("sum", Serializers.LONG));
    }

    @Override
    public void processElement(T record, Context<String> context, Collector<String> out)
        throws Exception {
      Long previousCount = count.value();
      Long previousSum = sum.value();
      long newCount = previousCount == null ? 1 : previousCount + 1;
      long newSum = (previousSum == null ? 0 : previousSum) + valueOf.applyAsLong(record);
      count.update(newCount);
      sum.update(newSum);
      out.collect(context.getCurrentKey() + "," + newCount + "," + newSum);
    }
  }
}
