package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.api.CheckpointListener;
import io.statejob.runtime.api.CheckpointedFunction;
import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.FilterFunction;
import io.statejob.runtime.api.KeySelector;
import io.statejob.runtime.api.MapFunction;
import io.statejob.runtime.api.Pipeline;
import io.statejob.runtime.api.RichFunction;
import io.statejob.runtime.api.Sink;
import io.statejob.runtime.concurrent.CloseAll;
import io.statejob.runtime.execution.operators.KeyedProcessOperator;
import io.statejob.runtime.execution.operators.RecordContext;
import io.statejob.runtime.execution.time.TimedOperator;
import io.statejob.runtime.execution.time.TimerServices;
import io.statejob.runtime.execution.window.WindowOperator;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.OperatorStateBackend;
import io.statejob.runtime.storage.HadoopFileSystems;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;

/**
 * The steps of one stage, chained into direct calls on the stage's thread. A keyed stage's head
 * sets the current key of each record it receives; the chain ends in the stage's sink or in the
 * {@code output} that sends records on to the next stage.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class StageChain {
  private record NamedFunction(String uid, Object function) {}

  private final Stage stage;
  private final Collector<Object> head;
  private final List<NamedFunction> functions = new ArrayList<>();
  private final List<TimedOperator> timedOperators = new ArrayList<>();
  private final KeyedStateBackend<?> keyedState;
  private final RecordContext record;
  private final String[] stepUids;
  private final long[] received;
  private long recordsProcessed;
  private long lateRecordsDropped;

  /**
   * @param keyedState the stage's keyed state; null for the source stage
   * @param record the record being pushed through, shared with whatever feeds the chain
   * @param output where the stage's last step emits: the next stage, or nothing after a sink
   */
  StageChain(
      Stage stage,
      KeyedStateBackend<?> keyedState,
      RecordContext record,
      Collector<Object> output) {
    this.stage = stage;
    this.keyedState = keyedState;
    this.record = record;
    List<Pipeline.Step> steps = new ArrayList<>();
    stage.input().ifPresent(steps::add);
    steps.addAll(stage.steps());
    this.stepUids = steps.stream().map(Pipeline.Step::uid).toArray(String[]::new);
    this.received = new long[stepUids.length];
    Collector<Object> next = output;
    for (int i = steps.size() - 1; i >= 0; i--) {
      Pipeline.Step step = steps.get(i);
      next = counted(i, link(step, next));
      functions.add(0, new NamedFunction(step.uid(), step.function()));
      if (step instanceof Pipeline.WindowStep w && w.spec().lateSink() != null) {
        functions.add(1, new NamedFunction(w.uid() + ".late", w.spec().lateSink()));
      }
    }
    this.head = next;
  }

  private Collector<Object> counted(int stepIndex, Collector<Object> step) {
    return value -> {
      received[stepIndex]++;
      step.collect(value);
    };
  }

  /** How many records each step of the stage received, by uid in pipeline order. */
  Map<String, Long> receivedPerStep() {
    Map<String, Long> result = new LinkedHashMap<>();
    for (int i = 0; i < stepUids.length; i++) {
      result.put(stepUids[i], received[i]);
    }
    return result;
  }

  private Collector<Object> link(Pipeline.Step step, Collector<Object> downstream) {
    if (step instanceof Pipeline.SinkStep s) {
      Sink sink = s.sink();
      return sink::write;
    }
    if (step instanceof Pipeline.MapStep s) {
      MapFunction fn = s.function();
      return value -> downstream.collect(fn.map(value));
    }
    if (step instanceof Pipeline.FilterStep s) {
      FilterFunction fn = s.function();
      return value -> {
        if (fn.filter(value)) {
          downstream.collect(value);
        }
      };
    }
    if (step instanceof Pipeline.ProcessStep s) {
      KeyedProcessOperator operator =
          new KeyedProcessOperator(s.uid(), s.function(), keyedState, record, downstream);
      timedOperators.add(operator);
      return operator;
    }
    if (step instanceof Pipeline.WindowStep s) {
      WindowOperator operator =
          new WindowOperator(
              s.uid(), s.spec(), keyedState, record, downstream, () -> lateRecordsDropped++);
      timedOperators.add(operator);
      return operator;
    }
    if (step instanceof Pipeline.KeyByStep s) {
      return keyedInput(s, downstream);
    }
    throw new IllegalStateException("a source inside the chain");
  }

  /** Makes each record's key the current key; the exchange delivered only this worker's keys. */
  private Collector<Object> keyedInput(Pipeline.KeyByStep step, Collector<Object> downstream) {
    KeySelector selector = step.selector();
    KeyedStateBackend backend = keyedState;
    return value -> {
      backend.setCurrentKey(selector.getKey(value), record.keyGroup);
      recordsProcessed++;
      downstream.collect(value);
    };
  }

  /** Runs {@code initializeState} of checkpointed functions, then {@code open}, sink first. */
  void open(
      OperatorStateBackend operatorState,
      TimerServices timers,
      boolean restored,
      int subtask,
      int parallelism,
      RuntimeConfig config)
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

              @Override
              public FileSystem fileSystem(URI uri) throws IOException {
                return HadoopFileSystems.get(uri, config);
              }
            });
      }
    }
    for (int i = functions.size() - 1; i >= 0; i--) {
      NamedFunction f = functions.get(i);
      if (f.function() instanceof RichFunction rich) {
        rich.open(new FunctionContext(f.uid(), subtask, parallelism, keyedState, stage.isKeyed()));
      }
    }
    for (TimedOperator operator : timedOperators) {
      operator.open(timers);
    }
  }

  /** Pushes {@code value} through the stage; its timestamp is in the shared record context. */
  void push(Object value) throws Exception {
    head.collect(value);
  }

  /** Records of this worker that arrived after their windows and were dropped. */
  long lateRecordsDropped() {
    return lateRecordsDropped;
  }

  /** Records that reached this keyed stage on this worker. */
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
    CloseAll.each(
        functions,
        f -> {
          if (f.function() instanceof RichFunction rich) {
            rich.close();
          }
        });
  }
}
