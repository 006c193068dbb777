package io.statejob.runtime.execution;

import static io.statejob.runtime.execution.JobRuns.assertExactCounts;
import static io.statejob.runtime.execution.JobRuns.datagen;
import static io.statejob.runtime.execution.JobRuns.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two coordinators of one job: only the one that started last completes checkpoints. */
class CoordinatorFenceTest {
  private static final long EVENTS = 20_000;
  @TempDir Path temp;

  @Test
  void theCoordinatorThatStartedFirstStopsAndTheOtherFinishesExactly() throws Exception {
    RuntimeConfig config = JobRuns.configIn(temp, "filesystem", 2, Map.of());
    RecordingListener first = new RecordingListener();
    CompletableFuture<CompletedCheckpoint> firstRun =
        JobRuns.runAsync(
            JobRuns.runner(KeyedCountJob.class, datagen(EVENTS, 4_000), config, first));
    await().atMost(Duration.ofSeconds(30)).until(() -> first.completed.size() >= 2);

    // the same job started again, as a replacement pod beside one a partition left running
    RecordingListener second = new RecordingListener();
    CompletableFuture<CompletedCheckpoint> secondRun =
        JobRuns.runAsync(
            JobRuns.runner(KeyedCountJob.class, datagen(EVENTS, 4_000), config, second));

    ExecutionException stopped =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> firstRun.get(30, TimeUnit.SECONDS), ExecutionException.class);
    assertThat(stopped.getCause())
        .isInstanceOfSatisfying(
            JobFailedException.class,
            e -> assertThat(e.reason()).isEqualTo(JobFailedException.Reason.CoordinatorSuperseded))
        .hasMessageContaining("another coordinator of this job started (epoch 2")
        .hasMessageContaining("this one (epoch 1) completes no more checkpoints");

    CompletedCheckpoint last = secondRun.get(60, TimeUnit.SECONDS);
    assertThat(second.restores).singleElement().satisfies(id -> assertThat(id).isPositive());
    assertThat(second.completed).isNotEmpty();
    assertThat(first.completed)
        .as("nothing completed by the first after the second took over")
        .allSatisfy(id -> assertThat(id).isLessThan(second.completed.get(0)));
    assertExactCounts(dump(last, config), "count-and-sum", EVENTS);
  }
}
