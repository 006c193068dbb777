package io.statejob.runtime.api;

import io.statejob.runtime.serialization.TypeSerializer;

/** A stream of records, spread over the workers. */
public class DataStream<T> {
  protected final Pipeline.Builder pipeline;

  DataStream(Pipeline.Builder pipeline) {
    this.pipeline = pipeline;
  }

  public <R> DataStream<R> map(MapFunction<T, R> function) {
    pipeline.map(function);
    return new DataStream<>(pipeline);
  }

  public DataStream<T> filter(FilterFunction<T> function) {
    pipeline.filter(function);
    return this;
  }

  /**
   * Partitions the stream by key: each record goes to the worker that owns its key group, and
   * functions after this point get keyed state. Name it with {@link #uid}: the stage after it
   * stores its state under that name.
   */
  public <K> KeyedStream<K, T> keyBy(KeySelector<T, K> selector, TypeSerializer<K> keySerializer) {
    pipeline.keyBy(selector, keySerializer);
    return new KeyedStream<>(pipeline);
  }

  public void sinkTo(Sink<T> sink) {
    pipeline.sink(sink);
  }

  /** Names the last step; its state is stored under this name, so keep it stable. */
  public DataStream<T> uid(String uid) {
    pipeline.uid(uid);
    return this;
  }
}
