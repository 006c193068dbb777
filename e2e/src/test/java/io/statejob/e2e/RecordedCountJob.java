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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link KeyedCountJob} writing into {@link #OUTPUT} as soon as a record arrives: a sink that is
 * not transactional, shared by the pods the kubelet harness runs in this JVM, so every record
 * processed twice shows. With {@code --hang-at <n>}, the sink hangs at its n-th record once in the
 * JVM, as a sink stuck on a dead connection does, until its thread is interrupted.
 */
public final class RecordedCountJob implements StateJobProgram {
  static final Queue<String> OUTPUT = new ConcurrentLinkedQueue<>();
  static final AtomicBoolean HUNG = new AtomicBoolean();

  @Override
  public void build(StreamEnvironment env) {
    long hangAt = env.parameters().getLong("hang-at", -1);
    env.fromSource(DatagenSource.fromParameters(env.parameters()))
        .keyBy(DatagenEvent::key, Serializers.STRING)
        .process(KeyedCountJob.CountAndSum.ofEvents())
        .uid("count-and-sum")
        .sinkTo(
            (Sink<String>)
                record -> {
                  if (hangAt >= 0
                      && !HUNG.get()
                      && OUTPUT.size() >= hangAt
                      && HUNG.compareAndSet(false, true)) {
                    Thread.sleep(Long.MAX_VALUE);
                  }
                  OUTPUT.add(record);
                });
  }
}
