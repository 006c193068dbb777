package io.statejob.runtime.api;

/** A function with a life cycle: {@link #open} runs before the first record, on the worker. */
public interface RichFunction {
  default void open(RuntimeContext context) throws Exception {}

  default void close() throws Exception {}
}
