package io.statejob.runtime.api;

/** Transforms each record into one record. */
@FunctionalInterface
public interface MapFunction<T, R> {
  R map(T value) throws Exception;
}
