package io.statejob.runtime.api.state;

/** Combines two values into one of the same type. Must not mutate its arguments. */
@FunctionalInterface
public interface ReduceFunction<T> {
  T reduce(T accumulated, T value) throws Exception;
}
