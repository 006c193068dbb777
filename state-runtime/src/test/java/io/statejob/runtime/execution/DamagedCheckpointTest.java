package io.statejob.runtime.execution;

import static io.statejob.runtime.execution.JobRuns.assertExactCounts;
import static io.statejob.runtime.execution.JobRuns.datagen;
import static io.statejob.runtime.execution.JobRuns.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A damaged checkpoint file is found while restoring, and the job falls back instead of losing. */
class DamagedCheckpointTest {
  @TempDir Path temp;

  private RuntimeConfig config(String backend) {
    // no state inline in _metadata: every subtask's state is in a file that can be damaged
    return JobRuns.configIn(
        temp,
        backend,
        2,
        Map.of("state.storage.fs.memory-threshold", "0", "state.checkpoints.num-retained", "3"));
  }

  private List<CompletedCheckpoint> retained(RuntimeConfig config) throws Exception {
    return JobRuns.retained(temp.resolve("checkpoints"), config, 3);
  }

  /** The largest file of {@code checkpoint} that no older retained checkpoint references. */
  private static Path ownFile(CompletedCheckpoint checkpoint, List<CompletedCheckpoint> older)
      throws Exception {
    Set<String> own = new TreeSet<>(checkpoint.metadata().files());
    older.forEach(c -> own.removeAll(c.metadata().files()));
    List<Path> files = new ArrayList<>();
    for (String file : own) {
      files.add(Path.of(URI.create(file)));
    }
    files.sort(Comparator.comparingLong(DamagedCheckpointTest::size));
    assertThat(files).as("files only checkpoint %d has", checkpoint.id()).isNotEmpty();
    return files.get(files.size() - 1);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void damage(Path file, String how) throws Exception {
    switch (how) {
      case "flip" -> JobRuns.flipABit(file);
      case "truncate" ->
          Files.write(file, Arrays.copyOf(Files.readAllBytes(file), (int) size(file) - 1));
      case "delete" -> Files.delete(file);
      default -> throw new IllegalArgumentException(how);
    }
  }

  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({
    "filesystem, flip",
    "filesystem, truncate",
    "rocksdb, flip",
    "rocksdb-incremental, flip",
    "rocksdb-incremental, delete"
  })
  void aDamagedFileOfTheLatestCheckpointIsFoundAndThePreviousCheckpointRestoresExactly(
      String backend, String how) throws Exception {
    RuntimeConfig config = config(backend);
    JobRuns.run(KeyedCountJob.class, datagen(10_000, 20_000), config);
    List<CompletedCheckpoint> retained = retained(config);
    assertThat(retained).as("retained checkpoints").hasSizeGreaterThan(1);
    CompletedCheckpoint newest = retained.get(retained.size() - 1);
    CompletedCheckpoint previous = retained.get(retained.size() - 2);
    damage(ownFile(newest, retained.subList(0, retained.size() - 1)), how);

    RecordingListener restores = new RecordingListener();
    CompletedCheckpoint last =
        JobRuns.runner(KeyedCountJob.class, datagen(20_000, 0), config, restores).run();

    assertThat(restores.restores).containsExactly(newest.id(), previous.id());
    assertExactCounts(dump(last, config), "count-and-sum", 20_000);
  }

  @Test
  void whenEveryRetainedCheckpointIsDamagedTheJobStopsInsteadOfStartingEmpty() throws Exception {
    RuntimeConfig config = config("filesystem");
    JobRuns.run(KeyedCountJob.class, datagen(10_000, 20_000), config);
    List<CompletedCheckpoint> retained = retained(config);
    for (CompletedCheckpoint checkpoint : retained) {
      damage(ownFile(checkpoint, List.of()), "flip");
    }

    RecordingListener restores = new RecordingListener();
    JobRunner runner = JobRuns.runner(KeyedCountJob.class, datagen(20_000, 0), config, restores);

    assertThatThrownBy(runner::run)
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("no intact checkpoint or savepoint is left")
        .hasMessageContaining("rather than start from empty state")
        .hasMessageContaining("fails its checksum");
    assertThat(restores.restores)
        .as("every attempt restored a checkpoint, none started empty")
        .doesNotContain(0L)
        .hasSize(retained.size());
    assertThat(retained(config))
        .as("no checkpoint was taken from empty state")
        .extracting(CompletedCheckpoint::id)
        .isEqualTo(retained.stream().map(CompletedCheckpoint::id).toList());
  }
}
