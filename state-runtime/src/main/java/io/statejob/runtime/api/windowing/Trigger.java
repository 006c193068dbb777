package io.statejob.runtime.api.windowing;

import io.statejob.runtime.api.state.KeyedStateStore;
import io.statejob.runtime.api.state.StateDescriptor;

/**
 * Decides when a window emits its result. Called for each record added to a window and for each
 * timer it registered; state it gets from the context is scoped to the key and the window. Whatever
 * a trigger decides, the runtime drops a window's contents, state and timers once time passes its
 * end plus the allowed lateness.
 */
public abstract class Trigger<T> {
  public abstract TriggerResult onElement(
      T element, long timestamp, TimeWindow window, TriggerContext context) throws Exception;

  public abstract TriggerResult onEventTime(long time, TimeWindow window, TriggerContext context)
      throws Exception;

  public abstract TriggerResult onProcessingTime(
      long time, TimeWindow window, TriggerContext context) throws Exception;

  /** Deletes the trigger's timers and state of {@code window}, which is being dropped. */
  public abstract void clear(TimeWindow window, TriggerContext context) throws Exception;

  /** True when the trigger supports merging windows (session windows). */
  public boolean canMerge() {
    return false;
  }

  /** Sets up the trigger for {@code window}, which replaced the windows merged into it. */
  public void onMerge(TimeWindow window, OnMergeContext context) throws Exception {
    throw new UnsupportedOperationException(getClass().getName() + " cannot merge windows");
  }

  /** Clocks, timers and window-scoped state of the window being triggered. */
  public interface TriggerContext extends KeyedStateStore {
    long getCurrentProcessingTime();

    long getCurrentWatermark();

    void registerEventTimeTimer(long time);

    void registerProcessingTimeTimer(long time);

    void deleteEventTimeTimer(long time);

    void deleteProcessingTimeTimer(long time);
  }

  /** The context of {@link #onMerge}. */
  public interface OnMergeContext extends TriggerContext {
    /**
     * Merges the state of {@code descriptor} (list, reducing or aggregating) of the merged windows
     * into the new window.
     */
    void mergePartitionedState(StateDescriptor descriptor);
  }
}
