package io.statejob.runtime.execution.window;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.ProcessWindowFunction;
import io.statejob.runtime.api.Sink;
import io.statejob.runtime.api.TimeDomain;
import io.statejob.runtime.api.WindowSpec;
import io.statejob.runtime.api.state.AggregatingState;
import io.statejob.runtime.api.state.AggregatingStateDescriptor;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.api.state.MapState;
import io.statejob.runtime.api.state.MapStateDescriptor;
import io.statejob.runtime.api.state.ReducingState;
import io.statejob.runtime.api.state.ReducingStateDescriptor;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.api.windowing.TimeWindow;
import io.statejob.runtime.api.windowing.Trigger;
import io.statejob.runtime.api.windowing.TriggerResult;
import io.statejob.runtime.api.windowing.WindowAssigner;
import io.statejob.runtime.execution.operators.RecordContext;
import io.statejob.runtime.execution.time.InternalTimerService;
import io.statejob.runtime.execution.time.TimedOperator;
import io.statejob.runtime.execution.time.TimerServices;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.NamespacedState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Windows on a keyed stream, as Flink's WindowOperator: each record goes into the windows its
 * assigner picks, the trigger decides when a window emits, and a cleanup timer at the window's end
 * plus the allowed lateness drops its contents, trigger state and timers. Contents and trigger
 * state are keyed state with the window as namespace; session windows of a key are listed in keyed
 * state and merged by moving the contents of the merged windows into the new one.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class WindowOperator implements Collector<Object>, TimedOperator {
  private final String uid;
  private final WindowSpec spec;
  private final WindowFunctionAdapter function;
  private final WindowAssigner assigner;
  private final Trigger<Object> trigger;
  private final KeyedStateBackend<Object> backend;
  private final RecordContext record;
  private final Collector<Object> output;
  private final Collector<Object> lateOutput;
  private final Runnable lateDropped;
  private final TriggerContext triggerContext = new TriggerContext();
  private final FunctionContext functionContext = new FunctionContext();

  private NamespacedState contents;
  private ListState<TimeWindow> sessions;
  private InternalTimerService<TimeWindow> timers;
  private TimerServices clocks;

  /**
   * @param lateDropped counts a late record dropped (there is no late-data sink)
   */
  public WindowOperator(
      String uid,
      WindowSpec spec,
      KeyedStateBackend<?> backend,
      RecordContext record,
      Collector<Object> output,
      Runnable lateDropped) {
    this.uid = uid;
    this.spec = spec;
    this.function = new WindowFunctionAdapter(spec.function());
    this.assigner = spec.assigner();
    this.trigger = spec.trigger();
    this.backend = (KeyedStateBackend<Object>) backend;
    this.record = record;
    this.output = output;
    Sink<Object> lateSink = (Sink<Object>) spec.lateSink();
    this.lateOutput = lateSink == null ? null : lateSink::write;
    this.lateDropped = lateDropped;
  }

  /** Registers the window state and timers; after a restore, queues the restored timers. */
  @Override
  public void open(TimerServices clocks) throws Exception {
    this.clocks = clocks;
    contents =
        backend.getOrCreateState(
            uid + ".window-contents", function.contentsDescriptor(), TimeWindow.SERIALIZER);
    if (assigner.isMerging()) {
      sessions =
          (ListState<TimeWindow>)
              backend.getOrCreateState(
                  uid + ".sessions", new ListStateDescriptor<>("sessions", TimeWindow.SERIALIZER));
    }
    timers = clocks.create(uid, TimeWindow.SERIALIZER, this::onTimer);
  }

  @Override
  public void collect(Object element) throws Exception {
    long timestamp = assigner.isEventTime() ? record.timestamp : clocks.currentProcessingTime();
    if (timestamp == Long.MIN_VALUE) {
      throw new IllegalStateException(
          "event-time window '"
              + uid
              + "' got a record without a timestamp: give the source a timestamp assigner"
              + " (WatermarkStrategy.withTimestampAssigner)");
    }
    boolean added = false;
    for (TimeWindow assigned : assigner.assignWindows(timestamp)) {
      TimeWindow window = assigner.isMerging() ? mergeIntoSession(assigned) : assigned;
      if (window == null || isLate(window)) {
        continue;
      }
      added = true;
      contents.setCurrentNamespace(window);
      function.add(contents, element);
      triggerContext.window = window;
      handle(trigger.onElement(element, timestamp, window, triggerContext), window);
      registerCleanupTimer(window);
    }
    if (!added && assigner.isEventTime() && isLateRecord(timestamp)) {
      if (lateOutput != null) {
        lateOutput.collect(element);
      } else {
        lateDropped.run();
      }
    }
  }

  /**
   * Puts the new window into the key's sessions, merging every session it overlaps; returns the
   * session that now holds it, or null when that session would already be past its cleanup time.
   */
  private TimeWindow mergeIntoSession(TimeWindow assigned) throws Exception {
    List<TimeWindow> all = new ArrayList<>();
    Iterable<TimeWindow> stored = sessions.get();
    if (stored != null) {
      stored.forEach(all::add);
    }
    List<TimeWindow> overlapping = new ArrayList<>();
    TimeWindow merged = assigned;
    for (TimeWindow session : all) {
      if (session.intersects(assigned)) {
        overlapping.add(session);
        merged = merged.cover(session);
      }
    }
    if (isLate(merged)) {
      return null;
    }
    if (overlapping.isEmpty()) {
      sessions.add(assigned);
      return assigned;
    }
    if (overlapping.size() == 1 && overlapping.get(0).equals(merged)) {
      return merged;
    }
    List<TimeWindow> replaced = new ArrayList<>(overlapping);
    replaced.remove(merged);
    NamespaceMerging.merge(contents, function.contentsDescriptor(), merged, replaced);
    triggerContext.window = merged;
    triggerContext.merged = replaced;
    trigger.onMerge(merged, triggerContext); // moves trigger state before clear() drops the rest
    triggerContext.merged = List.of();
    for (TimeWindow old : replaced) {
      triggerContext.window = old;
      trigger.clear(old, triggerContext);
      deleteCleanupTimer(old);
    }
    all.removeAll(overlapping);
    all.add(merged);
    sessions.update(all);
    return merged;
  }

  private void onTimer(TimeDomain domain, long time, TimeWindow window) throws Exception {
    if (assigner.isMerging() && !isCurrentSession(window)) {
      return; // merged into another session; its timers were moved there
    }
    triggerContext.window = window;
    TriggerResult result =
        domain == TimeDomain.EVENT_TIME
            ? trigger.onEventTime(time, window, triggerContext)
            : trigger.onProcessingTime(time, window, triggerContext);
    handle(result, window);
    boolean cleanupDomain = (domain == TimeDomain.EVENT_TIME) == assigner.isEventTime();
    if (cleanupDomain && time == cleanupTime(window)) {
      clearAll(window);
    }
  }

  private boolean isCurrentSession(TimeWindow window) {
    Iterable<TimeWindow> stored = sessions.get();
    if (stored != null) {
      for (TimeWindow session : stored) {
        if (session.equals(window)) {
          return true;
        }
      }
    }
    return false;
  }

  private void handle(TriggerResult result, TimeWindow window) throws Exception {
    contents.setCurrentNamespace(window);
    if (result.isFire()) {
      functionContext.window = window;
      long timestamp = record.timestamp;
      record.timestamp = window.maxTimestamp();
      function.emit(backend.getCurrentKey(), contents, functionContext, output);
      record.timestamp = timestamp;
    }
    if (result.isPurge()) {
      contents.clear();
    }
  }

  private void clearAll(TimeWindow window) throws Exception {
    contents.setCurrentNamespace(window);
    contents.clear();
    triggerContext.window = window;
    trigger.clear(window, triggerContext);
    if (assigner.isMerging()) {
      List<TimeWindow> remaining = new ArrayList<>();
      sessions.get().forEach(remaining::add);
      remaining.remove(window);
      sessions.update(remaining);
    }
  }

  /** When the window's state is dropped: its end plus the allowed lateness in event time. */
  private long cleanupTime(TimeWindow window) {
    if (!assigner.isEventTime()) {
      return window.maxTimestamp();
    }
    long cleanup = window.maxTimestamp() + spec.allowedLatenessMillis();
    return cleanup >= window.maxTimestamp() ? cleanup : Long.MAX_VALUE;
  }

  private boolean isLate(TimeWindow window) {
    return assigner.isEventTime() && cleanupTime(window) <= clocks.currentWatermark();
  }

  private boolean isLateRecord(long timestamp) {
    return timestamp + spec.allowedLatenessMillis() <= clocks.currentWatermark();
  }

  private void registerCleanupTimer(TimeWindow window) {
    long cleanup = cleanupTime(window);
    if (cleanup != Long.MAX_VALUE) {
      timers.register(domain(), window, cleanup);
    }
  }

  private void deleteCleanupTimer(TimeWindow window) {
    long cleanup = cleanupTime(window);
    if (cleanup != Long.MAX_VALUE) {
      timers.delete(domain(), window, cleanup);
    }
  }

  private TimeDomain domain() {
    return assigner.isEventTime() ? TimeDomain.EVENT_TIME : TimeDomain.PROCESSING_TIME;
  }

  /** The window a trigger works on: its timers and state scoped to the key and window. */
  private final class TriggerContext implements Trigger.OnMergeContext {
    TimeWindow window;
    Collection<TimeWindow> merged = List.of();

    @Override
    public long getCurrentProcessingTime() {
      return clocks.currentProcessingTime();
    }

    @Override
    public long getCurrentWatermark() {
      return clocks.currentWatermark();
    }

    @Override
    public void registerEventTimeTimer(long time) {
      timers.register(TimeDomain.EVENT_TIME, window, time);
    }

    @Override
    public void registerProcessingTimeTimer(long time) {
      timers.register(TimeDomain.PROCESSING_TIME, window, time);
    }

    @Override
    public void deleteEventTimeTimer(long time) {
      timers.delete(TimeDomain.EVENT_TIME, window, time);
    }

    @Override
    public void deleteProcessingTimeTimer(long time) {
      timers.delete(TimeDomain.PROCESSING_TIME, window, time);
    }

    @Override
    public void mergePartitionedState(StateDescriptor descriptor) {
      NamespaceMerging.merge(triggerState(descriptor), descriptor, window, merged);
    }

    private NamespacedState triggerState(StateDescriptor descriptor) {
      NamespacedState state =
          backend.getOrCreateState(
              uid + ".trigger." + descriptor.name(), descriptor, TimeWindow.SERIALIZER);
      state.setCurrentNamespace(window);
      return state;
    }

    @Override
    public <T> ValueState<T> getState(ValueStateDescriptor<T> descriptor) {
      return (ValueState<T>) triggerState(descriptor);
    }

    @Override
    public <T> ListState<T> getListState(ListStateDescriptor<T> descriptor) {
      return (ListState<T>) triggerState(descriptor);
    }

    @Override
    public <K, V> MapState<K, V> getMapState(MapStateDescriptor<K, V> descriptor) {
      return (MapState<K, V>) triggerState(descriptor);
    }

    @Override
    public <T> ReducingState<T> getReducingState(ReducingStateDescriptor<T> descriptor) {
      return (ReducingState<T>) triggerState(descriptor);
    }

    @Override
    public <IN, ACC, OUT> AggregatingState<IN, OUT> getAggregatingState(
        AggregatingStateDescriptor<IN, ACC, OUT> descriptor) {
      return (AggregatingState<IN, OUT>) triggerState(descriptor);
    }
  }

  /** What a window function sees of the window it computes. */
  private final class FunctionContext implements ProcessWindowFunction.Context {
    TimeWindow window;

    @Override
    public TimeWindow window() {
      return window;
    }

    @Override
    public long currentWatermark() {
      return clocks.currentWatermark();
    }

    @Override
    public long currentProcessingTime() {
      return clocks.currentProcessingTime();
    }
  }
}
