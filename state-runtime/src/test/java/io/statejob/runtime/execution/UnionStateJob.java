package io.statejob.runtime.execution;

import io.statejob.runtime.api.CheckpointedFunction;
import io.statejob.runtime.api.MapFunction;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.connector.DiscardSink;
import io.statejob.runtime.serialization.Serializers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Each worker puts its index in union list state and records what it restored. */
public final class UnionStateJob implements StateJobProgram {
  static final Map<Integer, List<Long>> RESTORED = new ConcurrentHashMap<>();

  @Override
  public void build(StreamEnvironment env) {
    env.fromSource(DatagenSource.fromParameters(env.parameters()))
        .map(new Remember())
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .sinkTo(new DiscardSink<>());
  }

  static final class Remember
      implements MapFunction<DatagenEvent, DatagenEvent>, CheckpointedFunction {
    private ListState<Long> indexes;
    private int subtask;

    @Override
    public void initializeState(InitializationContext context) {
      subtask = context.subtaskIndex();
      indexes =
          context
              .getOperatorStateStore()
              .getUnionListState(new ListStateDescriptor<>("indexes", Serializers.LONG));
      if (context.isRestored()) {
        List<Long> seen = new ArrayList<>();
        indexes.get().forEach(seen::add);
        RESTORED.put(subtask, seen);
      }
    }

    @Override
    public void snapshotState(long checkpointId) {
      indexes.update(List.of((long) subtask));
    }

    @Override
    public DatagenEvent map(DatagenEvent value) {
      return value;
    }
  }
}
