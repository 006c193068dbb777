package io.statejob.runtime.execution;

import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.api.MapFunction;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.connector.Sinks;
import io.statejob.runtime.serialization.Serializers;
import java.util.concurrent.atomic.AtomicBoolean;

/** The keyed count of the examples, failing once when a worker reaches {@code --fail-at}. */
public final class FailOnceJob implements StateJobProgram {
  static final AtomicBoolean FAILED = new AtomicBoolean();

  /** Passes events on, failing once (per JVM, until FAILED is reset) at event {@code failAt}. */
  static MapFunction<DatagenEvent, DatagenEvent> failingOnceAt(long failAt) {
    return event -> {
      if (event.sequence() == failAt && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure at " + failAt);
      }
      return event;
    };
  }

  @Override
  public void build(StreamEnvironment env) {
    env.fromSource(DatagenSource.fromParameters(env.parameters()))
        .map(failingOnceAt(env.parameters().getLong("fail-at", -1)))
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .process(KeyedCountJob.CountAndSum.ofEvents())
        .uid("count-and-sum")
        .sinkTo(Sinks.fromParameters(env.parameters()));
  }
}
