package io.statejob.runtime.execution;

import static io.statejob.runtime.execution.JobRuns.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file sink's committed output holds every record exactly once. */
public class FileSinkTest {
  @TempDir Path temp;

  /**
   * One datagen split: each output line holds a key's running count and sum, which depend on the
   * order of the key's records, and that order is fixed only when one reader reads them all.
   */
  private List<String> args(long events, long rate) {
    return List.of(
        "--splits",
        "1",
        "--events",
        String.valueOf(events),
        "--keys",
        "300",
        "--rate",
        String.valueOf(rate),
        "--sink",
        "file",
        "--output",
        temp.resolve("output").toString());
  }

  /** The lines KeyedCountJob emits for the first {@code events} events, computed directly. */
  public static List<String> expectedLines(long events, int keys) {
    DatagenSource source = new DatagenSource(events, keys, 42, 0);
    Map<String, long[]> state = new HashMap<>();
    List<String> lines = new ArrayList<>();
    for (long n = 0; n < events; n++) {
      DatagenEvent e = source.eventAt(n);
      long[] countAndSum = state.computeIfAbsent(e.key(), k -> new long[2]);
      countAndSum[0]++;
      countAndSum[1] += e.value();
      lines.add(e.key() + "," + countAndSum[0] + "," + countAndSum[1]);
    }
    return lines.stream().sorted().toList();
  }

  /** Every line of the committed files, sorted; in-progress files are not output. */
  public static List<String> committedLines(Path output) throws Exception {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(output)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        lines.addAll(Files.readAllLines(file));
      }
    }
    return lines.stream().sorted().toList();
  }

  @Test
  void aWorkerFailureNeitherLosesNorDuplicatesCommittedOutput() throws Exception {
    FailOnceJob.FAILED.set(false);
    List<String> args = new ArrayList<>(args(40_000, 40_000));
    args.addAll(List.of("--fail-at", "25000"));
    JobRuns.run(
        FailOnceJob.class, args, config(temp.resolve("checkpoints"), "filesystem", 3, Map.of()));
    assertThat(FailOnceJob.FAILED.get()).isTrue();
    assertThat(committedLines(temp.resolve("output"))).isEqualTo(expectedLines(40_000, 300));
    try (Stream<Path> inProgress = Files.list(temp.resolve("output").resolve(".inprogress"))) {
      assertThat(inProgress).isEmpty();
    }
  }

  @Test
  void outputContinuesExactlyOnceAcrossARescale() throws Exception {
    JobRuns.run(
        KeyedCountJob.class,
        args(10_000, 0),
        config(temp.resolve("checkpoints"), "memory", 3, Map.of()));
    JobRuns.run(
        KeyedCountJob.class,
        args(20_000, 0),
        config(
            temp.resolve("checkpoints"),
            "rocksdb",
            2,
            Map.of("state.backend.rocksdb.localdir", temp.resolve("local").toString())));
    assertThat(committedLines(temp.resolve("output"))).isEqualTo(expectedLines(20_000, 300));
  }
}
