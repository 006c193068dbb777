package io.statejob.runtime.api;

import io.statejob.runtime.api.windowing.WindowAssigner;

/** A stream partitioned by key. */
public final class KeyedStream<K, T> extends DataStream<T> {
  KeyedStream(Pipeline.Builder pipeline) {
    super(pipeline);
  }

  /** Names the {@code keyBy}: the stage after it stores its state under this name. */
  @Override
  public KeyedStream<K, T> uid(String uid) {
    pipeline.uid(uid);
    return this;
  }

  public <O> DataStream<O> process(KeyedProcessFunction<K, T, O> function) {
    pipeline.process(function);
    return new DataStream<>(pipeline);
  }

  /** Groups each key's records into the windows {@code assigner} picks. */
  public WindowedStream<K, T> window(WindowAssigner assigner) {
    return new WindowedStream<>(pipeline, assigner);
  }
}
