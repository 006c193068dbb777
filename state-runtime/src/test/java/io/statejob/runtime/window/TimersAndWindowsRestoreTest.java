package io.statejob.runtime.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.examples.UserSessionsJob;
import io.statejob.examples.WindowedCountJob;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.execution.FileSinkTest;
import io.statejob.runtime.execution.JobListener;
import io.statejob.runtime.execution.JobRunner;
import io.statejob.runtime.execution.JobRuns;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Timers and window contents are state: a job stopped after a checkpoint and resumed at another
 * parallelism emits exactly what one uninterrupted run would, which is computed here directly from
 * the generated events.
 */
class TimersAndWindowsRestoreTest {
  private static final long EVENTS = 12_000;
  private static final int KEYS = 50;

  @TempDir Path temp;

  private List<String> args(String... extra) {
    List<String> args = new ArrayList<>(List.of(extra));
    args.addAll(
        List.of(
            // one split, so that the events arrive in the order the models below replay them
            "--splits",
            "1",
            "--events",
            String.valueOf(EVENTS),
            "--keys",
            String.valueOf(KEYS),
            "--rate",
            "8000",
            "--sink",
            "file",
            "--output",
            temp.resolve("out").toString(),
            "--window-ms",
            "2000",
            "--gap-ms",
            "1500"));
    return args;
  }

  private RuntimeConfig config(String backend, int parallelism) {
    return JobRuns.configIn(
        temp, backend, parallelism, Map.of("pipeline.auto-watermark-interval", "0ms"));
  }

  /** Runs at 2 workers until checkpoint 3, cancels, and finishes the job at 3 workers. */
  private List<String> interruptedAndRescaled(Class<?> job, String backend, String... extraArgs)
      throws Exception {
    CompletableFuture<CompletedCheckpoint> third = new CompletableFuture<>();
    JobRunner first =
        JobRuns.runner(
            job,
            args(extraArgs),
            config(backend, 2),
            new JobListener() {
              @Override
              public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
                if (checkpoint.id() >= 3) {
                  third.complete(checkpoint);
                }
              }
            });
    CompletableFuture<CompletedCheckpoint> run = JobRuns.runAsync(first);
    // interrupted mid-run: the rescaled run restores timers and windows, not a finished job
    assertThat(third.get(60, TimeUnit.SECONDS).metadata().finalCheckpoint()).isFalse();
    first.cancel();
    assertThatThrownBy(run::join).hasCauseInstanceOf(CancellationException.class);
    CompletedCheckpoint last = JobRuns.run(job, args(extraArgs), config(backend, 3));
    assertThat(last.metadata().parallelism()).isEqualTo(3);
    return FileSinkTest.committedLines(temp.resolve("out"));
  }

  private static List<DatagenEvent> events() {
    return events(0);
  }

  private static List<DatagenEvent> events(long disorderMillis) {
    DatagenSource source =
        new DatagenSource(EVENTS, KEYS, 42, 0, disorderMillis, DatagenSource.DEFAULT_SPLITS);
    List<DatagenEvent> events = new ArrayList<>();
    for (long n = 0; n < EVENTS; n++) {
      events.add(source.eventAt(n));
    }
    return events;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "filesystem", "rocksdb", "rocksdb-incremental"})
  void tumblingWindowContentsSurviveARestoreAtAnotherParallelism(String backend) throws Exception {
    Map<String, long[]> windows = new TreeMap<>();
    for (DatagenEvent e : events()) {
      long start = e.timestamp() - Math.floorMod(e.timestamp(), 2000);
      long[] totals =
          windows.computeIfAbsent(e.key() + "," + start + "," + (start + 2000), k -> new long[2]);
      totals[0]++;
      totals[1] += e.value();
    }
    List<String> expected = new ArrayList<>();
    windows.forEach((window, t) -> expected.add(window + "," + t[0] + "," + t[1]));
    assertThat(interruptedAndRescaled(WindowedCountJob.class, backend))
        .isEqualTo(expected.stream().sorted().toList());
  }

  /**
   * Late records are judged against the watermark before them, so the first record after a restore
   * must see the watermark the restored position implies, not an empty one.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "rocksdb"})
  void everyRecordSeesTheWatermarkOfAnUninterruptedRunAcrossARestore(String backend)
      throws Exception {
    long outOfOrderness = 100;
    List<String> expected = new ArrayList<>();
    long maxTimestamp = Long.MIN_VALUE;
    for (DatagenEvent e : events(300)) {
      long watermark =
          maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - outOfOrderness - 1;
      expected.add(e.sequence() + "," + watermark);
      maxTimestamp = Math.max(maxTimestamp, e.timestamp());
    }
    assertThat(
            interruptedAndRescaled(
                WatermarkEchoJob.class,
                backend,
                "--disorder-ms",
                "300",
                "--out-of-orderness-ms",
                String.valueOf(outOfOrderness)))
        .isEqualTo(expected.stream().sorted().toList());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "rocksdb"})
  void sessionWindowsSurviveARestoreAtAnotherParallelism(String backend) throws Exception {
    Map<String, List<DatagenEvent>> byUser = new HashMap<>();
    for (DatagenEvent e : events()) {
      byUser.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
    }
    List<String> expected = new ArrayList<>();
    byUser.forEach(
        (user, events) -> {
          int from = 0;
          for (int i = 1; i <= events.size(); i++) {
            if (i == events.size()
                || events.get(i).timestamp() > events.get(i - 1).timestamp() + 1500) {
              long total = 0;
              for (DatagenEvent e : events.subList(from, i)) {
                total += e.value();
              }
              long start = events.get(from).timestamp();
              long end = events.get(i - 1).timestamp() + 1500;
              expected.add(user + "," + start + "," + end + "," + (i - from) + "," + total);
              from = i;
            }
          }
        });
    assertThat(interruptedAndRescaled(UserSessionsJob.class, backend))
        .isEqualTo(expected.stream().sorted().toList());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory", "filesystem", "rocksdb"})
  void eventTimeTimersSurviveARestoreAtAnotherParallelism(String backend) throws Exception {
    // the timer service's rules, replayed: each record first moves its key's timer, then the
    // watermark (largest timestamp - 1) fires due timers; the end of input fires the rest
    Map<String, Long> timers = new HashMap<>();
    Map<String, Long> counts = new HashMap<>();
    List<String> expected = new ArrayList<>();
    for (DatagenEvent e : events()) {
      counts.merge(e.key(), 1L, Long::sum);
      timers.put(e.key(), e.timestamp() + 1500);
      long watermark = e.timestamp() - 1;
      timers
          .entrySet()
          .removeIf(
              timer -> {
                if (timer.getValue() <= watermark) {
                  expected.add(
                      timer.getKey() + "," + timer.getValue() + "," + counts.get(timer.getKey()));
                  return true;
                }
                return false;
              });
    }
    timers.forEach((key, time) -> expected.add(key + "," + time + "," + counts.get(key)));
    assertThat(interruptedAndRescaled(InactivityJob.class, backend))
        .isEqualTo(expected.stream().sorted().toList());
  }

  @Test
  void processingTimeTimersFireOncePerRegistration() throws Exception {
    JobRuns.run(
        ProcessingTimerJob.class,
        List.of(
            "--events",
            "3000",
            "--keys",
            "20",
            "--rate",
            "3000",
            "--sink",
            "file",
            "--output",
            temp.resolve("out").toString()),
        config("rocksdb", 2));
    List<String> expected = new ArrayList<>();
    for (int k = 0; k < 20; k++) {
      expected.add("key-" + k + ",PROCESSING_TIME");
    }
    assertThat(FileSinkTest.committedLines(temp.resolve("out")))
        .isEqualTo(expected.stream().sorted().toList());
  }
}
