package io.statejob.examples;

import io.statejob.runtime.api.CheckpointedFunction;
import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.KeyedProcessFunction;
import io.statejob.runtime.api.RuntimeContext;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.connector.Sinks;
import io.statejob.runtime.serialization.Serializers;
import java.util.List;

/**
 * A keyed count next to operator state: each worker counts the events it processed in a {@link
 * CheckpointedFunction}'s list state, which is split among workers on rescale.
 */
public final class CheckpointedCounterJob implements StateJobProgram {
  @Override
  public void build(StreamEnvironment env) {
    env.fromSource(DatagenSource.fromParameters(env.parameters()))
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .process(new CountingFunction())
        .uid("counter")
        .sinkTo(Sinks.fromParameters(env.parameters()));
  }

  /** Counts per key in keyed state and per worker in operator state. */
  static final class CountingFunction extends KeyedProcessFunction<String, DatagenEvent, String>
      implements CheckpointedFunction {
    private ValueState<Long> perKey;
    private ListState<Long> perWorkerState;
    private long perWorker;

    @Override
    public void initializeState(InitializationContext context) {
      perWorkerState =
          context
              .getOperatorStateStore()
              .getListState(new ListStateDescriptor<>("processed", Serializers.LONG));
      for (Long restored : perWorkerState.get()) {
        perWorker += restored;
      }
    }

    @Override
    public void open(RuntimeContext context) {
      perKey = context.getState(new ValueStateDescriptor<>("count", Serializers.LONG));
    }

    @Override
    public void snapshotState(long checkpointId) {
      perWorkerState.update(List.of(perWorker));
    }

    @Override
    public void processElement(DatagenEvent event, Context<String> context, Collector<String> out)
        throws Exception {
      perKey.update(perKey.value() == null ? 1 : perKey.value() + 1);
      perWorker++;
      out.collect(event.key() + "," + perKey.value() + "," + perWorker);
    }
  }
}
