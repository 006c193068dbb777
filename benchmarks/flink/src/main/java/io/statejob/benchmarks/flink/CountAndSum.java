package io.statejob.benchmarks.flink;

import java.io.Serializable;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Count and sum per key in two {@code ValueState}s, emitting {@code key,count,sum} after every
 * update: StateJob's {@code KeyedCountJob.CountAndSum}, written for Flink.
 */
final class CountAndSum<T> extends KeyedProcessFunction<String, T, String> {
  /** A record's value; serializable, as Flink ships the function to its tasks. */
  interface ValueOf<T> extends ToLongFunction<T>, Serializable {}

  private final ValueOf<T> valueOf;
  private transient ValueState<Long> count;
  private transient ValueState<Long> sum;

  CountAndSum(ValueOf<T> valueOf) {
    this.valueOf = valueOf;
  }

  @Override
  public void open(OpenContext context) {
    count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
    sum = getRuntimeContext().getState(new ValueStateDescriptor<>("sum", Types.LONG));
  }

  @Override
  public void processElement(T record, Context context, Collector<String> out) throws Exception {
    Long previousCount = count.value();
    Long previousSum = sum.value();
    long newCount = previousCount == null ? 1 : previousCount + 1;
    long newSum = (previousSum == null ? 0 : previousSum) + valueOf.applyAsLong(record);
    count.update(newCount);
    sum.update(newSum);
    out.collect(context.getCurrentKey() + ',' + newCount + ',' + newSum);
  }
}
