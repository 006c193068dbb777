package io.statejob.runtime.api;

/** Receives the records a function emits. */
@FunctionalInterface
public interface Collector<T> {
  void collect(T record) throws Exception;
}
