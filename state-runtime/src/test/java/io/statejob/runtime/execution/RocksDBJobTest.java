package io.statejob.runtime.execution;

import static io.statejob.runtime.execution.JobRuns.assertExactCounts;
import static io.statejob.runtime.execution.JobRuns.config;
import static io.statejob.runtime.execution.JobRuns.datagen;
import static io.statejob.runtime.execution.JobRuns.dump;
import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.checkpoint.CompletedCheckpointStore;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.StreamHandle;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.storage.FileSystemCheckpointStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RocksDBJobTest {
  @TempDir Path temp;

  private RuntimeConfig rocksdb(int parallelism, boolean incremental, Map<String, String> extra) {
    Map<String, String> values = new HashMap<>(extra);
    values.put("state.backend.incremental", String.valueOf(incremental));
    values.put("state.backend.rocksdb.localdir", temp.resolve("local").toString());
    return config(temp.resolve("checkpoints"), "rocksdb", parallelism, values);
  }

  @ParameterizedTest(name = "incremental {0}")
  @ValueSource(booleans = {true, false})
  void everyEventUpdatesRocksDBStateExactlyOnce(boolean incremental) throws Exception {
    RuntimeConfig config = rocksdb(2, incremental, Map.of());
    CompletedCheckpoint last = JobRuns.run(KeyedCountJob.class, datagen(30_000, 60_000), config);
    assertThat(last.metadata().isIncremental()).isEqualTo(incremental);
    assertExactCounts(dump(last, config), "count-and-sum", 30_000);
  }

  @Test
  void incrementalCheckpointsRescaleFromTwoToThreeToOneWorkersOnAFreshLocalDisk() throws Exception {
    JobRuns.run(KeyedCountJob.class, datagen(10_000, 0), rocksdb(2, true, Map.of()));
    deleteTree(temp.resolve("local")); // a new pod on a fresh volume
    JobRuns.run(KeyedCountJob.class, datagen(20_000, 0), rocksdb(3, true, Map.of()));
    deleteTree(temp.resolve("local"));
    RuntimeConfig config = rocksdb(1, true, Map.of());
    CompletedCheckpoint last = JobRuns.run(KeyedCountJob.class, datagen(30_000, 0), config);
    assertThat(last.metadata().parallelism()).isEqualTo(1);
    assertExactCounts(dump(last, config), "count-and-sum", 30_000);
  }

  @Test
  void aJobSwitchesBetweenRocksDBAndHeapBackendsThroughItsCheckpoints() throws Exception {
    Path checkpoints = temp.resolve("checkpoints");
    JobRuns.run(KeyedCountJob.class, datagen(10_000, 0), rocksdb(2, true, Map.of()));
    JobRuns.run(
        KeyedCountJob.class, datagen(20_000, 0), config(checkpoints, "filesystem", 3, Map.of()));
    RuntimeConfig config = rocksdb(2, false, Map.of());
    CompletedCheckpoint last = JobRuns.run(KeyedCountJob.class, datagen(30_000, 0), config);
    assertExactCounts(dump(last, config), "count-and-sum", 30_000);
  }

  @Test
  void withTwoRetainedEveryRetainedCheckpointRestoresAndNoUnreferencedSharedFileRemains()
      throws Exception {
    RuntimeConfig config =
        rocksdb(
            2,
            true,
            Map.of(
                "state.checkpoints.num-retained", "2", "execution.checkpointing.interval", "50ms"));
    CompletedCheckpoint last = JobRuns.run(KeyedCountJob.class, datagen(40_000, 40_000), config);
    assertThat(last.id()).as("checkpoints taken").isGreaterThan(5);

    Path jobDir = temp.resolve("checkpoints").resolve("test-job");
    try (FileSystemCheckpointStorage storage =
        new FileSystemCheckpointStorage(
            temp.resolve("checkpoints").toUri(), "test-job", config, 1024)) {
      List<CompletedCheckpoint> retained = CompletedCheckpointStore.recover(storage, 2).all();
      assertThat(retained).hasSize(2);
      assertThat(sharedFiles(jobDir)).isEqualTo(referenced(retained)).isNotEmpty();
      for (CompletedCheckpoint checkpoint : retained) {
        assertThat(dump(checkpoint, config)).isNotEmpty();
      }
    }
    try (Stream<Path> dirs = Files.list(jobDir)) {
      assertThat(dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("chk-")))
          .hasSize(2);
    }
    assertExactCounts(dump(last, config), "count-and-sum", 40_000);
  }

  @Test
  void aCleanupInterruptedHalfWayIsFinishedByTheNextRunWithoutBreakingRetainedCheckpoints()
      throws Exception {
    RuntimeConfig config = rocksdb(2, true, Map.of("state.checkpoints.num-retained", "2"));
    JobRuns.run(KeyedCountJob.class, datagen(20_000, 20_000), config);
    Path jobDir = temp.resolve("checkpoints").resolve("test-job");
    // what a process killed in the middle of subsuming chk-1 leaves behind
    Files.createDirectories(jobDir.resolve("chk-1"));
    Files.write(jobDir.resolve("chk-1").resolve("subtask-0-dead"), new byte[100]);
    Files.write(jobDir.resolve("shared").resolve("chk-1-deadbeef-s0-000009.sst"), new byte[100]);

    try (FileSystemCheckpointStorage storage =
        new FileSystemCheckpointStorage(
            temp.resolve("checkpoints").toUri(), "test-job", config, 1024)) {
      List<CompletedCheckpoint> retained = CompletedCheckpointStore.recover(storage, 2).all();
      assertThat(jobDir.resolve("chk-1")).doesNotExist();
      assertThat(sharedFiles(jobDir)).isEqualTo(referenced(retained));
      CompletedCheckpoint last = retained.get(retained.size() - 1);
      assertExactCounts(dump(last, config), "count-and-sum", 20_000);
    }
  }

  private static Set<String> sharedFiles(Path jobDir) throws Exception {
    try (Stream<Path> files = Files.list(jobDir.resolve("shared"))) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static Set<String> referenced(List<CompletedCheckpoint> checkpoints) {
    Set<String> names = new HashSet<>();
    for (CompletedCheckpoint checkpoint : checkpoints) {
      for (SubtaskState subtask : checkpoint.metadata().subtasks()) {
        for (StreamHandle file : subtask.incremental().orElseThrow().sharedFiles().values()) {
          names.add(Path.of(java.net.URI.create(file.path())).getFileName().toString());
        }
      }
    }
    return names;
  }

  private static void deleteTree(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
