package io.statejob.runtime.execution.operators;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.KeyedProcessFunction;
import io.statejob.runtime.api.TimeDomain;
import io.statejob.runtime.api.TimerService;
import io.statejob.runtime.execution.time.InternalTimerService;
import io.statejob.runtime.execution.time.TimedOperator;
import io.statejob.runtime.execution.time.TimerServices;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.serialization.VoidNamespace;
import io.statejob.runtime.state.KeyedStateBackend;

/**
 * Runs a {@link KeyedProcessFunction}: its records, and its timers when it overrides {@code
 * onTimer}.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class KeyedProcessOperator implements Collector<Object>, TimedOperator {
  private final String uid;
  private final KeyedProcessFunction function;
  private final KeyedStateBackend<?> backend;
  private final RecordContext record;
  private final Collector<Object> output;
  private final Context context = new Context();
  private InternalTimerService<VoidNamespace> timers;
  private TimerServices clocks;

  public KeyedProcessOperator(
      String uid,
      KeyedProcessFunction<?, ?, ?> function,
      KeyedStateBackend<?> backend,
      RecordContext record,
      Collector<Object> output) {
    this.uid = uid;
    this.function = function;
    this.backend = backend;
    this.record = record;
    this.output = output;
  }

  @Override
  public void open(TimerServices clocks) throws Exception {
    this.clocks = clocks;
    if (overridesOnTimer()) {
      timers = clocks.create(uid, Serializers.VOID_NAMESPACE, this::onTimer);
    }
  }

  private boolean overridesOnTimer() throws NoSuchMethodException {
    return function
            .getClass()
            .getMethod(
                "onTimer", long.class, KeyedProcessFunction.OnTimerContext.class, Collector.class)
            .getDeclaringClass()
        != KeyedProcessFunction.class;
  }

  @Override
  public void collect(Object value) throws Exception {
    context.domain = null;
    function.processElement(value, context, output);
  }

  private void onTimer(TimeDomain domain, long timestamp, VoidNamespace namespace)
      throws Exception {
    context.domain = domain;
    long recordTimestamp = record.timestamp;
    record.timestamp = domain == TimeDomain.EVENT_TIME ? timestamp : Long.MIN_VALUE;
    function.onTimer(timestamp, context, output);
    record.timestamp = recordTimestamp;
  }

  private final class Context implements KeyedProcessFunction.OnTimerContext, TimerService {
    TimeDomain domain;

    @Override
    public Object getCurrentKey() {
      return backend.getCurrentKey();
    }

    @Override
    public Long timestamp() {
      return record.timestampOrNull();
    }

    @Override
    public TimerService timerService() {
      return this;
    }

    /** Reading the clocks needs no timers; setting one does. */
    private InternalTimerService<VoidNamespace> timers() {
      if (timers == null) {
        throw new IllegalStateException(
            "'"
                + uid
                + "' uses timers but its function does not override onTimer, which they call");
      }
      return timers;
    }

    @Override
    public TimeDomain timeDomain() {
      return domain;
    }

    @Override
    public long currentProcessingTime() {
      return clocks.currentProcessingTime();
    }

    @Override
    public long currentWatermark() {
      return clocks.currentWatermark();
    }

    @Override
    public void registerEventTimeTimer(long time) {
      timers().register(TimeDomain.EVENT_TIME, VoidNamespace.INSTANCE, time);
    }

    @Override
    public void registerProcessingTimeTimer(long time) {
      timers().register(TimeDomain.PROCESSING_TIME, VoidNamespace.INSTANCE, time);
    }

    @Override
    public void deleteEventTimeTimer(long time) {
      timers().delete(TimeDomain.EVENT_TIME, VoidNamespace.INSTANCE, time);
    }

    @Override
    public void deleteProcessingTimeTimer(long time) {
      timers().delete(TimeDomain.PROCESSING_TIME, VoidNamespace.INSTANCE, time);
    }
  }
}
