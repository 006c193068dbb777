package io.statejob.runtime.api.state;

/**
 * Incremental aggregation through a mutable accumulator. The runtime copies an accumulator before
 * updating it while a snapshot may still read it, so {@link #add} may mutate and return it.
 */
public interface AggregateFunction<IN, ACC, OUT> {
  ACC createAccumulator();

  ACC add(IN value, ACC accumulator);

  OUT getResult(ACC accumulator);

  /**
   * Combines two accumulators into one; needed when merging windows (session windows) aggregate
   * with this function.
   */
  default ACC merge(ACC a, ACC b) {
    throw new UnsupportedOperationException(
        getClass().getName()
            + " does not implement AggregateFunction.merge, which session windows need");
  }
}
