package io.statejob.runtime.execution;

import io.statejob.runtime.api.CheckpointListener;
import io.statejob.runtime.api.CheckpointedFunction;
import io.statejob.runtime.api.FilterFunction;
import io.statejob.runtime.api.KeySelector;
import io.statejob.runtime.api.KeyedProcessFunction;
import io.statejob.runtime.api.MapFunction;
import io.statejob.runtime.api.RichFunction;
import io.statejob.runtime.api.Sink;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.keygroup.KeyGroups;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.OperatorStateBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps after the source, chained into direct calls on the task thread. The keyBy step keeps
 * only the records of this worker's key groups, and after a rescaled restore also skips records
 * that a key group's state already holds.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class OperatorChain {
  /** One link of the chain. */
  private interface Link {
    void push(Object record) throws Exception;
  }

  private record NamedFunction(String uid, Object function, boolean keyed) {}

  private final Link head;
  private final List<NamedFunction> functions = new ArrayList<>();
  private final KeyGroupRange range;
  private final long[] resumeOffsets;
  private long currentOffset;
  private long recordsProcessed;

  /**
   * @param resumeOffsets per key group of {@code range}: the first source offset whose record the
   *     key group's state does not yet hold
   */
  OperatorChain(
      Pipeline pipeline,
      KeyedStateBackend<?> keyedState,
      KeyGroupRange range,
      int maxParallelism,
      long[] resumeOffsets) {
    this.range = range;
    this.resumeOffsets = resumeOffsets;
    List<Pipeline.Step> steps = pipeline.steps();
    int keyByIndex = steps.indexOf(pipeline.keyBy());
    Link next = record -> {};
    for (int i = steps.size() - 1; i >= 1; i--) {
      Pipeline.Step step = steps.get(i);
      next = link(step, keyedState, maxParallelism, next);
      functions.add(0, new NamedFunction(step.uid(), step.function(), i > keyByIndex));
    }
    this.head = next;
  }

  private Link link(
      Pipeline.Step step, KeyedStateBackend keyedState, int maxParallelism, Link downstream) {
    if (step instanceof Pipeline.SinkStep s) {
      Sink sink = s.sink();
      return sink::write;
    }
    if (step instanceof Pipeline.MapStep s) {
      MapFunction fn = s.function();
      return record -> downstream.push(fn.map(record));
    }
    if (step instanceof Pipeline.FilterStep s) {
      FilterFunction fn = s.function();
      return record -> {
        if (fn.filter(record)) {
          downstream.push(record);
        }
      };
    }
    if (step instanceof Pipeline.ProcessStep s) {
      KeyedProcessFunction fn = s.function();
      KeyedProcessFunction.Context context = keyedState::getCurrentKey;
      return record -> fn.processElement(record, context, downstream::push);
    }
    if (step instanceof Pipeline.KeyByStep s) {
      return keyBy(s, keyedState, maxParallelism, downstream);
    }
    throw new IllegalStateException("a source inside the chain");
  }

  private Link keyBy(
      Pipeline.KeyByStep step, KeyedStateBackend keyedState, int maxParallelism, Link downstream) {
    KeySelector selector = step.selector();
    KeyGroups.Assigner assigner =
        new KeyGroups.Assigner((TypeSerializer) step.keySerializer(), maxParallelism);
    return record -> {
      Object key = selector.getKey(record);
      int keyGroup = assigner.keyGroupOf(key);
      if (!range.contains(keyGroup) || currentOffset < resumeOffsets[keyGroup - range.start()]) {
        return;
      }
      keyedState.setCurrentKey(key, keyGroup);
      recordsProcessed++;
      downstream.push(record);
    };
  }

  /** Runs {@code initializeState} of checkpointed functions, then {@code open}, sink first. */
  void open(
      OperatorStateBackend operatorState,
      boolean restored,
      int subtask,
      int parallelism,
      KeyedStateBackend<?> keyedState)
      throws Exception {
    for (NamedFunction f : functions) {
      if (f.function() instanceof CheckpointedFunction checkpointed) {
        checkpointed.initializeState(
            new CheckpointedFunction.InitializationContext() {
              @Override
              public io.statejob.runtime.api.state.OperatorStateStore getOperatorStateStore() {
                return operatorState.scopedTo(f.uid());
              }

              @Override
              public boolean isRestored() {
                return restored;
              }

              @Override
              public int subtaskIndex() {
                return subtask;
              }

              @Override
              public int parallelism() {
                return parallelism;
              }
            });
      }
    }
    for (int i = functions.size() - 1; i >= 0; i--) {
      NamedFunction f = functions.get(i);
      if (f.function() instanceof RichFunction rich) {
        rich.open(new FunctionContext(f.uid(), subtask, parallelism, keyedState, f.keyed()));
      }
    }
  }

  void process(Object record, long offset) throws Exception {
    currentOffset = offset;
    head.push(record);
  }

  /** Records that reached the keyed part of the chain on this worker. */
  long recordsProcessed() {
    return recordsProcessed;
  }

  void snapshotFunctions(long checkpointId) throws Exception {
    for (NamedFunction f : functions) {
      if (f.function() instanceof CheckpointedFunction checkpointed) {
        checkpointed.snapshotState(checkpointId);
      }
    }
  }

  void notifyCheckpointComplete(long checkpointId) throws Exception {
    for (NamedFunction f : functions) {
      if (f.function() instanceof CheckpointListener listener) {
        listener.notifyCheckpointComplete(checkpointId);
      }
    }
  }

  void close() throws Exception {
    Exception first = null;
    for (NamedFunction f : functions) {
      if (f.function() instanceof RichFunction rich) {
        try {
          rich.close();
        } catch (Exception e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
