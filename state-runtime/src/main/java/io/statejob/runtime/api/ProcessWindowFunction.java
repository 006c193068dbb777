package io.statejob.runtime.api;

import io.statejob.runtime.api.windowing.TimeWindow;

/**
 * Computes a window's result from its elements when its trigger fires; with {@code reduce} or
 * {@code aggregate} it receives the single pre-aggregated value, and adds the key and window to it.
 */
public abstract class ProcessWindowFunction<IN, OUT, K> implements RichFunction {
  public abstract void process(K key, Context context, Iterable<IN> elements, Collector<OUT> out)
      throws Exception;

  /** The window being fired and the clocks. */
  public interface Context {
    TimeWindow window();

    long currentWatermark();

    long currentProcessingTime();
  }
}
