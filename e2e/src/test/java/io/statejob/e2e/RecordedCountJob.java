package io.statejob.e2e;

import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.api.Sink;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.serialization.Serializers;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@link KeyedCountJob} writing into {@link #OUTPUT} as soon as a record arrives: a sink that is
 * not transactional, shared by the pods the kubelet harness runs in this JVM, so every record
 * processed twice shows.
 */
public final class RecordedCountJob implements StateJobProgram {
  static final Queue<String> OUTPUT = new ConcurrentLinkedQueue<>();

  @Override
  public void build(StreamEnvironment env) {
    env.fromSource(DatagenSource.fromParameters(env.parameters()))
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .process(KeyedCountJob.CountAndSum.ofEvents())
        .uid("count-and-sum")
        .sinkTo((Sink<String>) OUTPUT::add);
  }
}
