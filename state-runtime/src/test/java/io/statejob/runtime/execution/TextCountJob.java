package io.statejob.runtime.execution;

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

/**
 * The keyed count's stage and state names with the count kept as text: a changed job whose state a
 * checkpoint of {@code KeyedCountJob} cannot fill.
 */
public final class TextCountJob implements StateJobProgram {
  @Override
  public void build(StreamEnvironment env) {
    env.fromSource(DatagenSource.fromParameters(env.parameters()))
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .process(new TextCount())
        .uid("count-and-sum")
        .sinkTo(Sinks.fromParameters(env.parameters()));
  }

  private static final class TextCount extends KeyedProcessFunction<String, DatagenEvent, String> {
    private transient ValueState<String> count;

    @Override
    public void open(RuntimeContext context) {
      count = context.getState(new ValueStateDescriptor<>("count", Serializers.STRING));
    }

    @Override
    public void processElement(DatagenEvent event, Context<String> context, Collector<String> out)
        throws Exception {
      String before = count.value();
      count.update(String.valueOf(before == null ? 1 : Long.parseLong(before) + 1));
    }
  }
}
