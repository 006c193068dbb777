package io.statejob.runtime.api.windowing;

/**
 * Fires when the watermark passes the window's end, and again for each late record that arrives
 * within the allowed lateness. The default of event-time windows.
 */
public final class EventTimeTrigger extends Trigger<Object> {
  private static final EventTimeTrigger INSTANCE = new EventTimeTrigger();

  private EventTimeTrigger() {}

  public static EventTimeTrigger create() {
    return INSTANCE;
  }

  @Override
  public TriggerResult onElement(
      Object element, long timestamp, TimeWindow window, TriggerContext context) {
    if (window.maxTimestamp() <= context.getCurrentWatermark()) {
      return TriggerResult.FIRE; // a late record within the allowed lateness
    }
    context.registerEventTimeTimer(window.maxTimestamp());
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext context) {
    return time == window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext context) {
    return TriggerResult.CONTINUE;
  }

  @Override
  public void clear(TimeWindow window, TriggerContext context) {
    context.deleteEventTimeTimer(window.maxTimestamp());
  }

  @Override
  public boolean canMerge() {
    return true;
  }

  @Override
  public void onMerge(TimeWindow window, OnMergeContext context) {
    if (window.maxTimestamp() > context.getCurrentWatermark()) {
      context.registerEventTimeTimer(window.maxTimestamp());
    }
  }
}
