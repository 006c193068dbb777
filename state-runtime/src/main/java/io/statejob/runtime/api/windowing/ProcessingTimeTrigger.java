package io.statejob.runtime.api.windowing;

/** Fires when the wall clock passes the window's end. The default of processing-time windows. */
public final class ProcessingTimeTrigger extends Trigger<Object> {
  private static final ProcessingTimeTrigger INSTANCE = new ProcessingTimeTrigger();

  private ProcessingTimeTrigger() {}

  public static ProcessingTimeTrigger create() {
    return INSTANCE;
  }

  @Override
  public TriggerResult onElement(
      Object element, long timestamp, TimeWindow window, TriggerContext context) {
    context.registerProcessingTimeTimer(window.maxTimestamp());
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext context) {
    return TriggerResult.CONTINUE;
  }

  @Override
  public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext context) {
    return TriggerResult.FIRE;
  }

  @Override
  public void clear(TimeWindow window, TriggerContext context) {
    context.deleteProcessingTimeTimer(window.maxTimestamp());
  }

  @Override
  public boolean canMerge() {
    return true;
  }

  @Override
  public void onMerge(TimeWindow window, OnMergeContext context) {
    context.registerProcessingTimeTimer(window.maxTimestamp());
  }
}
