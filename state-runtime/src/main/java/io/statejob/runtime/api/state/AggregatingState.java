package io.statejob.runtime.api.state;

/** An accumulator per key that each {@link #add} updates with an {@link AggregateFunction}. */
public interface AggregatingState<IN, OUT> extends State {
  /** The aggregate for the current key, or null when nothing was added. */
  OUT get();

  void add(IN value);
}
