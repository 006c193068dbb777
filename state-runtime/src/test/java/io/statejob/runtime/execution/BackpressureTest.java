package io.statejob.runtime.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.api.Collector;
import io.statejob.runtime.api.KeyedProcessFunction;
import io.statejob.runtime.api.StateJobProgram;
import io.statejob.runtime.api.StreamEnvironment;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.connector.DiscardSink;
import io.statejob.runtime.serialization.Serializers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A slow keyed stage slows the sources that feed it: what is in flight stays bounded. */
class BackpressureTest {
  private static final int PARALLELISM = 2;
  private static final int BATCH = 8;
  private static final int CREDITS = 2;

  @TempDir Path temp;

  /** An unbounded source as fast as it can read, into a stage that takes a millisecond a record. */
  public static final class SlowStageJob implements StateJobProgram {
    @Override
    public void build(StreamEnvironment env) {
      env.fromSource(DatagenSource.fromParameters(env.parameters()))
          .keyBy(DatagenEvent::key, Serializers.STRING)
          .process(
              new KeyedProcessFunction<String, DatagenEvent, DatagenEvent>() {
                @Override
                public void processElement(
                    DatagenEvent event, Context<String> context, Collector<DatagenEvent> out)
                    throws Exception {
                  Thread.sleep(1);
                  out.collect(event);
                }
              })
          .sinkTo(new DiscardSink<>());
    }
  }

  @Test
  void theSourcesReadNoMoreThanTheSlowStageCanTakePlusBoundedBuffers() throws Exception {
    RuntimeConfig config =
        JobRuns.config(
            temp.resolve("checkpoints"),
            "memory",
            PARALLELISM,
            Map.of(
                "exchange.batch-size", String.valueOf(BATCH),
                "exchange.credits", String.valueOf(CREDITS),
                "execution.buffer-timeout", "10ms"));
    JobRunner runner =
        JobRuns.runner(
            SlowStageJob.class,
            List.of("--events", "-1", "--keys", "100"),
            config,
            new JobListener() {});
    CompletableFuture<?> run = JobRuns.runAsync(runner);
    await().atMost(Duration.ofSeconds(30)).until(() -> runner.recordsProcessed() > 1_000);
    Thread.sleep(1_000); // long enough for an unthrottled source to read millions

    WorkerCounters counters = runner.counters();
    // per pair of workers: the receiver's credits, the batch it reads, the batch being sent and
    // the one being filled; plus what a stage reads between two publications of its counters
    long inFlight = (long) PARALLELISM * PARALLELISM * (CREDITS + 3) * BATCH + 64L * PARALLELISM;
    assertThat(counters.recordsRead() - counters.recordsProcessed())
        .as("records read but not yet processed (%s)", counters)
        .isLessThanOrEqualTo(inFlight);
    assertThat(counters.backpressureNanos()).as("the sources waited for credit").isPositive();
    runner.cancel();
    assertThatThrownBy(run::join).hasCauseInstanceOf(CancellationException.class);
  }
}
