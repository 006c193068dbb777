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
import io.statejob.runtime.execution.operators.KeyedProcessOperator;
import io.statejob.runtime.execution.operators.RecordContext;
import io.statejob.runtime.execution.time.EventTimeClock;
import io.statejob.runtime.execution.time.TimedOperator;
import io.statejob.runtime.execution.time.TimerServices;
import io.statejob.runtime.execution.window.WindowOperator;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.keygroup.KeyGroups;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.snapshot.SourcePosition;
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
 * The steps after the source, chained into direct calls on the task thread. The keyBy step keeps
 * only the records of this worker's key groups, and after a rescaled restore also skips records
 * that a key group's state already holds.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class OperatorChain {
  private record NamedFunction(String uid, Object function, boolean keyed) {}

  private final Collector<Object> head;
  private final List<NamedFunction> functions = new ArrayList<>();
  private final List<TimedOperator> timedOperators = new ArrayList<>();
  private final KeyGroupRange range;
  private final SourcePosition[] resumePositions;
  private final RecordContext record = new RecordContext();
  private final EventTimeClock clock;
  private final TimerServices timers;
  private final String[] stepUids;
  private final long[] received;
  private long recordsProcessed;
  private long lateRecordsDropped;

  /**
   * @param resumePositions per key group of {@code range}: the first source offset whose record the
   *     key group's state does not yet hold, and the event time read before it
   */
  OperatorChain(
      Pipeline pipeline,
      KeyedStateBackend<?> keyedState,
      KeyGroupRange range,
      int maxParallelism,
      SourcePosition[] resumePositions) {
    this.range = range;
    this.resumePositions = resumePositions;
    Pipeline.SourceStep source = pipeline.source();
    this.clock =
        new EventTimeClock(
            source.watermarks(),
            source.source(),
            startPosition(resumePositions).maxTimestamp(),
            System::nanoTime);
    this.timers = new TimerServices(keyedState, clock.watermark());
    List<Pipeline.Step> steps = pipeline.steps();
    int keyByIndex = steps.indexOf(pipeline.keyBy());
    this.stepUids = steps.stream().skip(1).map(Pipeline.Step::uid).toArray(String[]::new);
    this.received = new long[stepUids.length];
    Collector<Object> next = record -> {};
    for (int i = steps.size() - 1; i >= 1; i--) {
      Pipeline.Step step = steps.get(i);
      next = counted(i - 1, link(step, keyedState, maxParallelism, next));
      functions.add(0, new NamedFunction(step.uid(), step.function(), i > keyByIndex));
      if (step instanceof Pipeline.WindowStep w && w.spec().lateSink() != null) {
        functions.add(1, new NamedFunction(w.uid() + ".late", w.spec().lateSink(), true));
      }
    }
    this.head = next;
  }

  private Collector<Object> counted(int stepIndex, Collector<Object> step) {
    return record -> {
      received[stepIndex]++;
      step.collect(record);
    };
  }

  /** How many records each step after the source received, by uid in pipeline order. */
  Map<String, Long> receivedPerStep() {
    Map<String, Long> result = new LinkedHashMap<>();
    for (int i = 0; i < stepUids.length; i++) {
      result.put(stepUids[i], received[i]);
    }
    return result;
  }

  /** Where this worker starts reading: the earliest position of its key groups. */
  static SourcePosition startPosition(SourcePosition[] positions) {
    SourcePosition start = null;
    for (SourcePosition position : positions) {
      if (start == null || position.offset() < start.offset()) {
        start = position;
      }
    }
    return start == null ? SourcePosition.START : start;
  }

  private Collector<Object> link(
      Pipeline.Step step,
      KeyedStateBackend keyedState,
      int maxParallelism,
      Collector<Object> downstream) {
    if (step instanceof Pipeline.SinkStep s) {
      Sink sink = s.sink();
      return sink::write;
    }
    if (step instanceof Pipeline.MapStep s) {
      MapFunction fn = s.function();
      return record -> downstream.collect(fn.map(record));
    }
    if (step instanceof Pipeline.FilterStep s) {
      FilterFunction fn = s.function();
      return record -> {
        if (fn.filter(record)) {
          downstream.collect(record);
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
      return keyBy(s, keyedState, maxParallelism, downstream);
    }
    throw new IllegalStateException("a source inside the chain");
  }

  private Collector<Object> keyBy(
      Pipeline.KeyByStep step,
      KeyedStateBackend keyedState,
      int maxParallelism,
      Collector<Object> downstream) {
    KeySelector selector = step.selector();
    KeyGroups.Assigner assigner =
        new KeyGroups.Assigner((TypeSerializer) step.keySerializer(), maxParallelism);
    return value -> {
      Object key = selector.getKey(value);
      int keyGroup = assigner.keyGroupOf(key);
      if (!range.contains(keyGroup)
          || record.offset < resumePositions[keyGroup - range.start()].offset()) {
        return;
      }
      keyedState.setCurrentKey(key, keyGroup);
      recordsProcessed++;
      downstream.collect(value);
    };
  }

  /** Runs {@code initializeState} of checkpointed functions, then {@code open}, sink first. */
  void open(
      OperatorStateBackend operatorState,
      boolean restored,
      int subtask,
      int parallelism,
      KeyedStateBackend<?> keyedState,
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
        rich.open(new FunctionContext(f.uid(), subtask, parallelism, keyedState, f.keyed()));
      }
    }
    for (TimedOperator operator : timedOperators) {
      operator.open(timers);
    }
  }

  /** Pushes a source record through the chain, then moves event time on. */
  void process(Object value, long offset) throws Exception {
    record.offset = offset;
    record.timestamp = clock.onRecord(value);
    head.collect(value);
    timers.advanceWatermark(clock.watermark());
  }

  /** The source has no record now: idle time may move event time on. */
  void onNoRecord() throws Exception {
    clock.onNoRecord();
    timers.advanceWatermark(clock.watermark());
  }

  /** A bounded source ended: event time reaches its end, firing every event-time timer. */
  void endOfInput() throws Exception {
    timers.advanceWatermark(Long.MAX_VALUE);
  }

  /** Fires processing-time timers that are due. */
  void fireProcessingTimers() throws Exception {
    timers.advanceProcessingTime();
  }

  /** When the next processing-time timer is due (epoch millis), or {@link Long#MAX_VALUE}. */
  long nextProcessingTimer() {
    return timers.nextProcessingTimer();
  }

  /** The largest event timestamp read: checkpointed with the source offset. */
  long maxTimestamp() {
    return clock.maxTimestamp();
  }

  /** Records of this worker that arrived after their windows and were dropped. */
  long lateRecordsDropped() {
    return lateRecordsDropped;
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
