package io.statejob.runtime.execution.time;

import io.statejob.runtime.api.TimeDomain;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.state.KeyedStateBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * The clocks of one worker and the timer services of its operators. Event time advances with the
 * watermark the worker derives from the source; processing time is the wall clock.
 */
public final class TimerServices {
  private final KeyedStateBackend<?> backend;
  private final List<InternalTimerService<?>> services = new ArrayList<>();
  private long watermark;

  /**
   * @param restoredWatermark the watermark the restored source position implies ({@link
   *     Long#MIN_VALUE} on a fresh start): the first record after a restore must be judged late or
   *     on time exactly as in a run without failures
   */
  public TimerServices(KeyedStateBackend<?> backend, long restoredWatermark) {
    this.backend = backend;
    this.watermark = restoredWatermark;
  }

  /** The timer service of operator {@code uid}, with its restored timers queued. */
  public <N> InternalTimerService<N> create(
      String uid, TypeSerializer<N> namespaceSerializer, InternalTimerService.Target<N> target)
      throws Exception {
    InternalTimerService<N> service =
        new InternalTimerService<>(uid, backend, namespaceSerializer, target);
    services.add(service);
    return service;
  }

  public long currentWatermark() {
    return watermark;
  }

  public long currentProcessingTime() {
    return System.currentTimeMillis();
  }

  /** Moves event time forward to {@code newWatermark}, firing due timers; never moves it back. */
  public void advanceWatermark(long newWatermark) throws Exception {
    if (newWatermark <= watermark) {
      return;
    }
    watermark = newWatermark;
    for (InternalTimerService<?> service : services) {
      service.advance(TimeDomain.EVENT_TIME, newWatermark);
    }
  }

  /** Fires the processing-time timers that are due. */
  public void advanceProcessingTime() throws Exception {
    if (nextProcessingTimer() <= currentProcessingTime()) {
      long now = currentProcessingTime();
      for (InternalTimerService<?> service : services) {
        service.advance(TimeDomain.PROCESSING_TIME, now);
      }
    }
  }

  /** When the next processing-time timer is due (epoch millis), or {@link Long#MAX_VALUE}. */
  public long nextProcessingTimer() {
    long next = Long.MAX_VALUE;
    for (InternalTimerService<?> service : services) {
      next = Math.min(next, service.nextTimestamp(TimeDomain.PROCESSING_TIME));
    }
    return next;
  }
}
