package io.statejob.runtime.state;

/**
 * Direct access to an aggregating state's accumulator of the current key and namespace, so merging
 * session windows can combine accumulators with {@code AggregateFunction.merge}.
 */
public interface AccumulatorState<ACC> {
  /** The accumulator, or null when the state is empty. */
  ACC accumulator();

  void setAccumulator(ACC accumulator);
}
