package io.statejob.runtime.api;

/** Extracts the key of a record; equal keys must serialize to equal bytes. */
@FunctionalInterface
public interface KeySelector<T, K> {
  K getKey(T value) throws Exception;
}
