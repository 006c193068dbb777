package io.statejob.runtime.api.state;

/**
 * Incremental aggregation through a mutable accumulator. The runtime copies an accumulator before
 * updating it while a snapshot may still read it, so {@link #add} may mutate and return it.
 */
public interface AggregateFunction<IN, ACC, OUT> {
  ACC createAccumulator();

  ACC add(IN value, ACC accumulator);

  OUT getResult(ACC accumulator);
}
