package io.statejob.runtime.api;

import io.statejob.runtime.api.state.AggregateFunction;
import io.statejob.runtime.api.state.ReduceFunction;
import io.statejob.runtime.api.windowing.Trigger;
import io.statejob.runtime.api.windowing.WindowAssigner;
import io.statejob.runtime.serialization.TypeSerializer;
import java.time.Duration;

/**
 * A keyed stream grouped into windows; a window function ends it. Window contents are keyed state
 * in the job's backend, so they are checkpointed and rescale with their keys.
 */
public final class WindowedStream<K, T> {
  private final Pipeline.Builder pipeline;
  private final WindowAssigner assigner;
  private Trigger<Object> trigger;
  private long allowedLatenessMillis;
  private Sink<T> lateSink;

  WindowedStream(Pipeline.Builder pipeline, WindowAssigner assigner) {
    this.pipeline = pipeline;
    this.assigner = assigner;
    this.trigger = assigner.defaultTrigger();
  }

  /** Replaces the assigner's default trigger. */
  @SuppressWarnings("unchecked")
  public WindowedStream<K, T> trigger(Trigger<? super T> trigger) {
    this.trigger = (Trigger<Object>) trigger;
    return this;
  }

  /**
   * Keeps event-time windows for {@code lateness} after their end: a late record within it updates
   * the window, which fires again. Records later than that are late data.
   */
  public WindowedStream<K, T> allowedLateness(Duration lateness) {
    this.allowedLatenessMillis = lateness.toMillis();
    return this;
  }

  /**
   * Sends late data (records whose windows are all past the allowed lateness) to {@code sink}
   * instead of dropping them. Dropped records are counted as late records dropped.
   */
  public WindowedStream<K, T> sideOutputLateData(Sink<T> sink) {
    this.lateSink = sink;
    return this;
  }

  /** Reduces each window's records to one value, updated as records arrive. */
  public DataStream<T> reduce(ReduceFunction<T> function, TypeSerializer<T> serializer) {
    return window(WindowFunctionSpec.reduce(function, serializer, null));
  }

  /** Reduces each window's records, then passes the result with key and window to {@code fn}. */
  public <R> DataStream<R> reduce(
      ReduceFunction<T> function,
      TypeSerializer<T> serializer,
      ProcessWindowFunction<T, R, K> windowFunction) {
    return window(WindowFunctionSpec.reduce(function, serializer, windowFunction));
  }

  /** Aggregates each window's records into one accumulator, updated as records arrive. */
  public <A, R> DataStream<R> aggregate(
      AggregateFunction<T, A, R> function, TypeSerializer<A> accumulatorSerializer) {
    return window(WindowFunctionSpec.aggregate(function, accumulatorSerializer, null));
  }

  /** Aggregates, then passes the result with key and window to {@code windowFunction}. */
  public <A, V, R> DataStream<R> aggregate(
      AggregateFunction<T, A, V> function,
      TypeSerializer<A> accumulatorSerializer,
      ProcessWindowFunction<V, R, K> windowFunction) {
    return window(WindowFunctionSpec.aggregate(function, accumulatorSerializer, windowFunction));
  }

  /** Keeps every record of a window (in list state) and computes the result when it fires. */
  public <R> DataStream<R> process(
      ProcessWindowFunction<T, R, K> windowFunction, TypeSerializer<T> elementSerializer) {
    return window(WindowFunctionSpec.process(windowFunction, elementSerializer));
  }

  private <R> DataStream<R> window(WindowFunctionSpec function) {
    pipeline.window(new WindowSpec(assigner, trigger, allowedLatenessMillis, lateSink, function));
    return new DataStream<>(pipeline);
  }
}
