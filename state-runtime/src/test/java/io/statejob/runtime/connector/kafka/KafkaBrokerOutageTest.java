package io.statejob.runtime.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.examples.KafkaKeyedCountJob;
import io.statejob.runtime.execution.JobListener;
import io.statejob.runtime.execution.JobRunner;
import io.statejob.runtime.execution.JobRuns;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.testing.KafkaTestData;
import io.statejob.runtime.testing.LocalKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker that goes away mid-run: the job reports why and, once it is back, finishes exactly. */
class KafkaBrokerOutageTest {
  private static final int KEYS = 30;

  @TempDir Path temp;
  private LocalKafkaBroker broker;

  @AfterEach
  void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void theJobRecoversWhenTheBrokerReturnsAndWritesEveryUpdateOnce() throws Exception {
    broker = LocalKafkaBroker.start(temp);
    broker.createTopic("outage-in", 2);
    broker.createTopic("outage-out", 2);
    KafkaTestData.produce(broker, "outage-in", 0, 2_000, KEYS);
    RuntimeConfig config =
        JobRuns.configIn(
            temp,
            "filesystem",
            2,
            Map.of(
                "execution.checkpointing.interval", "5s",
                "execution.checkpointing.timeout", "3s",
                "restart-strategy.fixed-delay.attempts", "1000",
                "restart-strategy.fixed-delay.delay", "500ms",
                "kafka.delivery.timeout.ms", "3000",
                "kafka.request.timeout.ms", "1000",
                "kafka.max.block.ms", "3000",
                "kafka.default.api.timeout.ms", "3000",
                "kafka.transaction.timeout.ms", "60000"));
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    AtomicLong lastCompletion = new AtomicLong();
    JobRunner runner =
        JobRuns.runner(
            KafkaKeyedCountJob.class,
            List.of(
                "--input-topic",
                "outage-in",
                "--output-topic",
                "outage-out",
                "--partition-discovery",
                "0"),
            config.overriddenBy(
                RuntimeConfig.of(Map.of("kafka.bootstrap.servers", broker.bootstrapServers()))),
            new JobListener() {
              @Override
              public void checkpointFailed(long checkpointId, String reason) {
                problems.add(reason);
              }

              @Override
              public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
                lastCompletion.set(System.nanoTime());
              }

              @Override
              public void restarting(int attempt, Throwable cause) {
                problems.add(String.valueOf(cause));
              }
            });
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(runner);
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> KafkaTestData.readCommitted(broker, "outage-out").size() == 2_000);
      // The broker goes while records flow, so a transaction is open, and well between two
      // commits: a commit racing the in-process broker's shutdown was seen to leave a hanging
      // transaction (its coordinator says CompleteCommit, the partitions got no marker,
      // describeProducers shows it open), which blocks read_committed readers for good. That is
      // the broker's doing, not the job's.
      long completedBefore = lastCompletion.get();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> lastCompletion.get() != completedBefore);
      KafkaTestData.produce(broker, "outage-in", 2_000, 60_000, KEYS);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> runner.recordsProcessed() >= 5_000);
      broker.stop();
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !problems.isEmpty());
      broker.start();
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> KafkaTestData.readCommitted(broker, "outage-out").size() >= 60_000);
    } finally {
      runner.cancel();
      run.exceptionally(e -> null).join();
    }

    assertThat(problems)
        .as("the outage is reported, naming Kafka")
        .anySatisfy(problem -> assertThat(problem).containsIgnoringCase("kafka"));
    assertThat(KafkaTestData.readCommitted(broker, "outage-out").stream().sorted().toList())
        .isEqualTo(KafkaTestData.expectedOutput(60_000, KEYS));
    KafkaTestData.assertNoClientThreadsRemain();
  }
}
