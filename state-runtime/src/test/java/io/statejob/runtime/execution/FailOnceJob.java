package io.statejob.runtime.execution;

import io.statejob.examples.KeyedCountJob;
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

  @Override
  public void build(StreamEnvironment env) {
    long failAt = env.parameters().getLong("fail-at", -1);
    env.fromSource(DatagenSource.fromParameters(env.parameters()))
        .map(
            (DatagenEvent event) -> {
              if (event.sequence() == failAt && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure at " + failAt);
              }
              return event;
            })
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .process(new KeyedCountJob.CountAndSum())
        .uid("count-and-sum")
        .sinkTo(Sinks.fromParameters(env.parameters()));
  }
}
