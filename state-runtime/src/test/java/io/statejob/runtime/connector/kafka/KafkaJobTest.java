package io.statejob.runtime.connector.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KafkaKeyedCountJob in this JVM against a real broker: delivery, discovery, lag, rescale. */
class KafkaJobTest {
  private static final int KEYS = 40;

  @TempDir static Path shared;
  @TempDir Path temp;
  private static LocalKafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = LocalKafkaBroker.start(shared);
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  private List<String> args(String in, String out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--bootstrap-servers",
                broker.bootstrapServers(),
                "--input-topic",
                in,
                "--output-topic",
                out,
                "--group-id",
                "group-" + in));
    args.addAll(List.of(more));
    return args;
  }

  private RuntimeConfig config(int parallelism) {
    return JobRuns.configIn(
        temp, "memory", parallelism, Map.of("execution.checkpointing.interval", "200ms"));
  }

  @Test
  void aBoundedRunWritesEveryUpdateExactlyOnceAndCommitsItsOffsetsForLag() throws Exception {
    broker.createTopic("eo-in", 4);
    broker.createTopic("eo-out", 3);
    KafkaTestData.produce(broker, "eo-in", 0, 5_000, KEYS);

    JobRuns.run(
        KafkaKeyedCountJob.class, args("eo-in", "eo-out", "--bounded", "latest"), config(2));

    assertThat(KafkaTestData.readCommitted(broker, "eo-out").stream().sorted().toList())
        .isEqualTo(KafkaTestData.expectedOutput(5_000, KEYS));
    assertThat(committedOffsets("group-eo-in").values().stream().mapToLong(Long::longValue).sum())
        .as("the group's offsets follow the completed checkpoints, the final one included")
        .isEqualTo(5_000);
    KafkaTestData.assertNoClientThreadsRemain();
  }

  @Test
  void aReaderKnowsHowManyRecordsItsPartitionHoldsPastItsPosition() throws Exception {
    broker.createTopic("lag-in", 1);
    KafkaTestData.produce(broker, "lag-in", 0, 500, KEYS);
    try (KafkaPartitionFetcher fetcher =
        new KafkaPartitionFetcher(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            new KafkaStart.Earliest(),
            false)) {
      KafkaPartitionReader<String> reader =
          new KafkaPartitionReader<>(
              fetcher,
              new TopicPartition("lag-in", 0),
              io.statejob.runtime.api.Source.INITIAL_OFFSET,
              KafkaRecordDeserializer.string());
      assertThat(reader.pendingRecords()).as("before a fetch said").isEqualTo(-1);
      int read = 0;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (read < 100 && System.nanoTime() < deadline) {
        read += reader.next() == null ? 0 : 1;
      }
      assertThat(read).isEqualTo(100);
      // the fetched records not yet returned, and those the broker holds past the fetch
      assertThat(reader.pendingRecords()).isEqualTo(400);
      while (read < 500 && System.nanoTime() < deadline) {
        read += reader.next() == null ? 0 : 1;
      }
      assertThat(reader.pendingRecords()).as("caught up").isZero();
    }
  }

  @Test
  void atLeastOnceLosesNothing() throws Exception {
    broker.createTopic("alo-in", 2);
    broker.createTopic("alo-out", 2);
    KafkaTestData.produce(broker, "alo-in", 0, 3_000, KEYS);

    JobRuns.run(
        KafkaKeyedCountJob.class,
        args("alo-in", "alo-out", "--bounded", "latest", "--delivery", "at-least-once"),
        config(2));

    assertThat(KafkaTestData.readCommitted(broker, "alo-out"))
        .containsAll(KafkaTestData.expectedOutput(3_000, KEYS));
  }

  @Test
  void aPartitionAddedWhileTheJobRunsIsRead() throws Exception {
    broker.createTopic("disc-in", 1);
    broker.createTopic("disc-out", 1);
    KafkaTestData.produce(broker, "disc-in", 0, 100, KEYS);
    JobRunner runner =
        JobRuns.runner(
            KafkaKeyedCountJob.class,
            args("disc-in", "disc-out", "--partition-discovery", "300ms"),
            config(2),
            new JobListener() {});
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(runner);
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> KafkaTestData.readCommitted(broker, "disc-out").size() == 100);

      try (Admin admin = broker.admin()) {
        admin.createPartitions(Map.of("disc-in", NewPartitions.increaseTo(3))).all().get();
      }
      // records 100.. go to the new partitions too: the producer hashes keys over three now
      KafkaTestData.produce(broker, "disc-in", 100, 1_000, KEYS);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> KafkaTestData.readCommitted(broker, "disc-out").size() >= 1_000);
    } finally {
      runner.cancel(); // a failed wait must not leave the job running into the next test
    }
    assertThatThrownBy(run::join).hasCauseInstanceOf(CancellationException.class);
    KafkaTestData.assertNoClientThreadsRemain();
    List<String> out = KafkaTestData.readCommitted(broker, "disc-out");
    assertThat(out).hasSize(1_000).doesNotHaveDuplicates();
  }

  @Test
  void aJobRestoredAtAnotherParallelismReadsEveryPartitionFromItsCheckpointedOffset()
      throws Exception {
    broker.createTopic("rescale-in", 4);
    broker.createTopic("rescale-out", 2);
    KafkaTestData.produce(broker, "rescale-in", 0, 4_000, KEYS);
    LinkedBlockingQueue<CompletedCheckpoint> checkpoints = new LinkedBlockingQueue<>();
    JobRunner first =
        JobRuns.runner(
            KafkaKeyedCountJob.class,
            args("rescale-in", "rescale-out"),
            config(2),
            new JobListener() {
              @Override
              public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
                checkpoints.add(checkpoint);
              }
            });
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(first);
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> KafkaTestData.readCommitted(broker, "rescale-out").size() == 4_000);
    // more input while the job is down; the next run goes on at parallelism 3 and then finishes
    first.cancel();
    assertThatThrownBy(run::join).hasCauseInstanceOf(CancellationException.class);
    assertThat(checkpoints.poll(1, TimeUnit.SECONDS)).isNotNull();
    KafkaTestData.produce(broker, "rescale-in", 4_000, 6_000, KEYS);

    JobRuns.run(
        KafkaKeyedCountJob.class,
        args("rescale-in", "rescale-out", "--bounded", "latest"),
        config(3));

    assertThat(KafkaTestData.readCommitted(broker, "rescale-out").stream().sorted().toList())
        .isEqualTo(KafkaTestData.expectedOutput(6_000, KEYS));
  }

  @Test
  void aTransactionTimeoutShorterThanACheckpointAndARecoveryIsRejectedUpFront() {
    RuntimeConfig config =
        config(1).overriddenBy(RuntimeConfig.of(Map.of("kafka.transaction.timeout.ms", "60000")));
    assertThatThrownBy(
            () ->
                JobRuns.run(
                    KafkaKeyedCountJob.class,
                    args("never-in", "never-out", "--bounded", "latest"),
                    config))
        .hasStackTraceContaining("kafka.transaction.timeout.ms is 60000 ms")
        .hasStackTraceContaining("execution.checkpointing.timeout");
  }

  private Map<TopicPartition, Long> committedOffsets(String group) throws Exception {
    try (Admin admin = broker.admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, Long> result = new java.util.HashMap<>();
      offsets.forEach((p, o) -> result.put(p, o.offset()));
      return result;
    }
  }
}
