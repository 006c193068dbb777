package io.statejob.runtime.execution;

import static io.statejob.runtime.execution.JobRuns.datagen;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.StopMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop-with-savepoint in local mode, through a sink that is not transactional: whatever the first
 * run processed after its savepoint, the run restored from the savepoint processes again, and the
 * sink sees it twice.
 */
class StopWithSavepointTest {
  private static final long EVENTS = 30_000;

  @TempDir Path temp;

  @BeforeEach
  void clearOutput() {
    RecordedOutputJob.OUTPUT.clear();
  }

  /** Checkpoints are off (1 h), so the savepoint is the only restore point. */
  private RuntimeConfig config() {
    return JobRuns.configIn(
        temp, "rocksdb-incremental", 2, Map.of("execution.checkpointing.interval", "1h"));
  }

  @Test
  void aJobStoppedWithASavepointProcessesNothingAfterItAndTheRestoredRunRepeatsNothing()
      throws Exception {
    RuntimeConfig config = config();
    List<CompletedCheckpoint> stopped = new CopyOnWriteArrayList<>();
    JobRunner first =
        JobRuns.runner(RecordedOutputJob.class, datagen(-1, 20_000), config, stoppedInto(stopped));
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(first);
    await().atMost(Duration.ofSeconds(30)).until(() -> RecordedOutputJob.OUTPUT.size() > 5_000);

    CompletedCheckpoint savepoint = first.triggerSavepoint(StopMode.STOP).get(30, TimeUnit.SECONDS);
    int atSavepoint = RecordedOutputJob.OUTPUT.size();
    Thread.sleep(500); // 10,000 more records at the source's rate, were it still reading
    assertThat(RecordedOutputJob.OUTPUT).hasSize(atSavepoint);
    assertThat(stopped).extracting(CompletedCheckpoint::path).containsExactly(savepoint.path());
    assertThat(first.triggerSavepoint(StopMode.NONE).get(10, TimeUnit.SECONDS).path())
        .as("the state cannot change any more: the same savepoint")
        .isEqualTo(savepoint.path());
    first.cancel();
    assertThatThrownBy(run::join).hasCauseInstanceOf(CancellationException.class);

    JobRuns.runner(RecordedOutputJob.class, datagen(EVENTS, 0), config, new JobListener() {}).run();
    // every event emits its key's running count once: key,count,sum
    assertThat(duplicates(RecordedOutputJob.OUTPUT)).isEmpty();
    assertThat(RecordedOutputJob.OUTPUT).hasSize((int) EVENTS);
  }

  @Test
  void aStoppedJobResumesFromItsSavepoint() throws Exception {
    RuntimeConfig config = config();
    List<Optional<CompletedCheckpoint>> restores = new CopyOnWriteArrayList<>();
    JobRunner runner =
        JobRuns.runner(
            RecordedOutputJob.class, datagen(EVENTS, 20_000), config, restoresInto(restores));
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(runner);
    await().atMost(Duration.ofSeconds(30)).until(() -> RecordedOutputJob.OUTPUT.size() > 5_000);
    assertThat(runner.resume()).as("a running job is not stopped").isFalse();

    CompletedCheckpoint savepoint =
        runner.triggerSavepoint(StopMode.STOP).get(30, TimeUnit.SECONDS);
    assertThat(runner.resume()).isTrue();
    run.get(60, TimeUnit.SECONDS);

    assertThat(restores).hasSize(2);
    assertThat(restores.get(1)).map(CompletedCheckpoint::path).hasValue(savepoint.path());
    assertThat(duplicates(RecordedOutputJob.OUTPUT)).isEmpty();
    assertThat(RecordedOutputJob.OUTPUT).hasSize((int) EVENTS);
  }

  /**
   * Windows of about 28 hours of event time (datagen steps 10 ms) never fire in the first run, but
   * the drain fires them all before the savepoint; the run restored from it counts each later event
   * in a window of its own. Every event is in exactly one window emitted: none lost with a
   * watermark left at its end, none counted twice.
   */
  @Test
  void aDrainFiresEveryWindowBeforeTheSavepointAndTheRestoredRunCountsTheRest() throws Exception {
    RuntimeConfig config = config();
    List<String> args = new ArrayList<>(datagen(-1, 20_000));
    args.addAll(List.of("--window-ms", "100000000"));
    JobRunner first = JobRuns.runner(RecordedOutputJob.class, args, config, new JobListener() {});
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(first);
    await().atMost(Duration.ofSeconds(30)).until(() -> first.recordsProcessed() > 5_000);
    assertThat(RecordedOutputJob.OUTPUT).isEmpty();

    first.triggerSavepoint(StopMode.DRAIN).get(30, TimeUnit.SECONDS);
    List<String> drained = List.copyOf(RecordedOutputJob.OUTPUT);
    assertThat(drained).hasSize(300); // one window per key
    first.cancel();
    assertThatThrownBy(run::join).hasCauseInstanceOf(CancellationException.class);

    List<String> bounded = new ArrayList<>(datagen(EVENTS, 0));
    bounded.addAll(List.of("--window-ms", "100000000"));
    JobRuns.runner(RecordedOutputJob.class, bounded, config, new JobListener() {}).run();
    // key,windowStart,windowEnd,count,sum
    long counted =
        RecordedOutputJob.OUTPUT.stream()
            .mapToLong(line -> Long.parseLong(line.split(",")[3]))
            .sum();
    assertThat(counted).isEqualTo(EVENTS);
    assertThat(RecordedOutputJob.OUTPUT).hasSizeGreaterThan(drained.size());
  }

  private static Map<String, Long> duplicates(Collection<String> output) {
    return output.stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
        .entrySet()
        .stream()
        .filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static JobListener stoppedInto(List<CompletedCheckpoint> stopped) {
    return new JobListener() {
      @Override
      public void stopped(CompletedCheckpoint savepoint) {
        stopped.add(savepoint);
      }
    };
  }

  private static JobListener restoresInto(List<Optional<CompletedCheckpoint>> restores) {
    return new JobListener() {
      @Override
      public void started(Optional<CompletedCheckpoint> restoredFrom, int attempt) {
        restores.add(restoredFrom);
      }
    };
  }
}
