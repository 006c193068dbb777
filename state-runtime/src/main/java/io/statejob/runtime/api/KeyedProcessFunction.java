package io.statejob.runtime.api;

/**
 * Processes each record of a keyed stream with access to keyed state and timers of the record's
 * key. Get state handles once in {@link #open} and keep them in fields: they follow the current
 * key. Override {@link #onTimer} to use timers.
 */
public abstract class KeyedProcessFunction<K, I, O> implements RichFunction {

  public abstract void processElement(I value, Context<K> context, Collector<O> out)
      throws Exception;

  /**
   * Called when a timer of {@code context.getCurrentKey()} fires; state handles follow that key.
   * Only functions that override this method get a timer service.
   */
  public void onTimer(long timestamp, OnTimerContext<K> context, Collector<O> out)
      throws Exception {}

  /** The record's context. */
  public interface Context<K> {
    K getCurrentKey();

    /** The record's event timestamp, or null when the source gives none. */
    Long timestamp();

    TimerService timerService();
  }

  /** The context of a firing timer. */
  public interface OnTimerContext<K> extends Context<K> {
    TimeDomain timeDomain();
  }
}
