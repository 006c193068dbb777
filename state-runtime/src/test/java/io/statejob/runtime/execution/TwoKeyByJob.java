package io.statejob.runtime.execution;

import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.KeyedProcessFunction;
import io.statejob.runtime.api.RuntimeContext;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.connector.DiscardSink;
import io.statejob.runtime.serialization.Serializers;

/**
 * Two keyed stages: the examples' count and sum per key, whose {@code key,count,sum} lines are then
 * counted per bucket of their key, so every record crosses the exchange twice. Fails once at {@code
 * --fail-at} ({@link FailOnceJob#FAILED}).
 */
public final class TwoKeyByJob implements StateJobProgram {
  @Override
  public void build(StreamEnvironment env) {
    env.fromSource(DatagenSource.fromParameters(env.parameters()))
        .map(FailOnceJob.failingOnceAt(env.parameters().getLong("fail-at", -1)))
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .uid("by-key")
        .process(KeyedCountJob.CountAndSum.ofEvents())
        .uid("per-key")
        .keyBy(TwoKeyByJob::bucketOfLine, Serializers.LONG)
        .uid("by-bucket")
        .process(new LineCount())
        .uid("per-bucket")
        .sinkTo(new DiscardSink<>());
  }

  /** One of 10 buckets, by the key that starts a {@code key,count,sum} line. */
  static long bucketOfLine(String line) {
    return bucketOf(line.substring(0, line.indexOf(',')));
  }

  static long bucketOf(String key) {
    return Math.floorMod(key.hashCode(), 10);
  }

  /** Counts the lines of each bucket. */
  static final class LineCount extends KeyedProcessFunction<Long, String, String> {
    private ValueState<Long> count;

    @Override
    public void open(RuntimeContext context) {
      count = context.getState(new ValueStateDescriptor<>("count", Serializers.LONG));
    }

    @Override
    public void processElement(String line, Context<Long> context, Collector<String> out)
        throws Exception {
      count.update(count.value() == null ? 1 : count.value() + 1);
    }
  }
}
