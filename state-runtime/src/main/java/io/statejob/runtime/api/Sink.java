package io.statejob.runtime.api;

/** The end of a pipeline: writes records out. */
public interface Sink<T> extends RichFunction {
  void write(T record) throws Exception;

  /** Sinks a job names in its manifest or logs. */
  default String name() {
    return getClass().getSimpleName();
  }
}
