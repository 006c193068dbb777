package io.statejob.runtime.api.windowing;

import io.statejob.runtime.api.state.ReducingState;
import io.statejob.runtime.api.state.ReducingStateDescriptor;
import io.statejob.runtime.serialization.Serializers;

/**
 * Fires each time a window has received {@code count} more records. Replaces the window's default
 * trigger, so a time window with a count trigger fires only on counts; its contents are still
 * dropped when time passes its end.
 */
public final class CountTrigger extends Trigger<Object> {
  private static final ReducingStateDescriptor<Long> COUNT =
      new ReducingStateDescriptor<>("count", Long::sum, Serializers.LONG);

  private final long count;

  private CountTrigger(long count) {
    if (count < 1) {
      throw new IllegalArgumentException("a count trigger needs a count of at least 1");
    }
    this.count = count;
  }

  public static CountTrigger of(long count) {
    return new CountTrigger(count);
  }

  @Override
  public TriggerResult onElement(
      Object element, long timestamp, TimeWindow window, TriggerContext context) throws Exception {
    ReducingState<Long> seen = context.getReducingState(COUNT);
    seen.add(1L);
    if (seen.get() >= count) {
      seen.clear();
      return TriggerResult.FIRE;
    }
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext context) {
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext context) {
    return TriggerResult.CONTINUE;
  }

  @Override
  public void clear(TimeWindow window, TriggerContext context) {
    context.getReducingState(COUNT).clear();
  }

  @Override
  public boolean canMerge() {
    return true;
  }

  @Override
  public void onMerge(TimeWindow window, OnMergeContext context) {
    context.mergePartitionedState(COUNT);
  }
}
