package io.statejob.runtime.api;

/**
 * Processes each record of a keyed stream with access to keyed state of the record's key. Get state
 * handles once in {@link #open} and keep them in fields: they follow the current key.
 */
public abstract class KeyedProcessFunction<K, I, O> implements RichFunction {

  public abstract void processElement(I value, Context<K> context, Collector<O> out)
      throws Exception;

  /** The record's context. */
  public interface Context<K> {
    K getCurrentKey();
  }
}
