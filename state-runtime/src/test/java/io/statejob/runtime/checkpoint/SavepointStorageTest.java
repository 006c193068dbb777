package io.statejob.runtime.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.snapshot.CheckpointMetadata;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.storage.CheckpointStorage;
import io.statejob.runtime.storage.Checkpoints;
import io.statejob.runtime.storage.FileSystemCheckpointStorage;
import io.statejob.runtime.storage.MemoryCheckpointStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavepointStorageTest {
  @TempDir Path dir;
  private FileSystemCheckpointStorage checkpoints;
  private CheckpointStorage savepoints;

  @BeforeEach
  void setUp() throws Exception {
    checkpoints = new FileSystemCheckpointStorage(dir.toUri(), "job", RuntimeConfig.empty(), 1024);
    savepoints = checkpoints.forType(SnapshotType.SAVEPOINT);
  }

  private CompletedCheckpoint persist(SnapshotType type, long id) throws Exception {
    return checkpoints
        .forType(type)
        .persist(
            new CheckpointMetadata(
                "job", id, id, id + 1, "filesystem", 128, 1, List.of(), Map.of(), false, type, 0));
  }

  @Test
  void savepointsLiveApartFromCheckpointsAndSurviveRetention() throws Exception {
    CompletedCheckpointStore store = CompletedCheckpointStore.recover(checkpoints, 1);
    store.add(persist(SnapshotType.CHECKPOINT, 1));
    store.addSavepoint(persist(SnapshotType.SAVEPOINT, 2));
    store.add(persist(SnapshotType.CHECKPOINT, 3));
    store.add(persist(SnapshotType.CHECKPOINT, 4));

    assertThat(dir.resolve("job/savepoints/sp-2/_metadata")).exists();
    assertThat(dir.resolve("job/chk-1")).doesNotExist();
    assertThat(dir.resolve("job/chk-3")).doesNotExist();
    assertThat(store.all()).extracting(CompletedCheckpoint::id).containsExactly(4L);
    assertThat(store.latestSavepoint()).map(CompletedCheckpoint::id).hasValue(2L);
  }

  @Test
  void aRestartedCoordinatorResumesFromTheNewerOfItsLatestCheckpointAndSavepoint()
      throws Exception {
    persist(SnapshotType.CHECKPOINT, 4);
    persist(SnapshotType.SAVEPOINT, 5);
    CompletedCheckpointStore afterUpgrade = CompletedCheckpointStore.recover(checkpoints, 3);
    assertThat(afterUpgrade.restorePoint())
        .map(CompletedCheckpoint::path)
        .get()
        .asString()
        .endsWith("/job/savepoints/sp-5");
    assertThat(afterUpgrade.nextCheckpointId()).isEqualTo(6);

    persist(SnapshotType.CHECKPOINT, 6);
    CompletedCheckpointStore later = CompletedCheckpointStore.recover(checkpoints, 3);
    assertThat(later.restorePoint()).map(CompletedCheckpoint::id).hasValue(6L);
    assertThat(later.latestSavepoint()).map(CompletedCheckpoint::id).hasValue(5L);
  }

  @Test
  void aCorruptSavepointIsSkippedForTheCheckpointBeforeIt() throws Exception {
    persist(SnapshotType.CHECKPOINT, 4);
    persist(SnapshotType.SAVEPOINT, 5);
    Path metadata = dir.resolve("job/savepoints/sp-5/_metadata");
    byte[] bytes = Files.readAllBytes(metadata);
    Files.write(metadata, java.util.Arrays.copyOf(bytes, bytes.length - 3));

    CompletedCheckpointStore store = CompletedCheckpointStore.recover(checkpoints, 3);
    assertThat(store.restorePoint()).map(CompletedCheckpoint::id).hasValue(4L);
    assertThat(store.nextCheckpointId()).as("the id is never reused").isEqualTo(6);
  }

  @Test
  void leftoversOfSavepointsThatNeverCompletedAreDeletedLikeThoseOfCheckpoints() throws Exception {
    Files.createDirectories(dir.resolve("job/savepoints/sp-1"));
    persist(SnapshotType.CHECKPOINT, 2);
    Files.createDirectories(dir.resolve("job/savepoints/sp-3"));
    CompletedCheckpointStore store = CompletedCheckpointStore.recover(checkpoints, 3);
    assertThat(dir.resolve("job/savepoints/sp-1")).doesNotExist();
    assertThat(dir.resolve("job/savepoints/sp-3")).exists();
    assertThat(store.nextCheckpointId()).isEqualTo(4);
    store.add(persist(SnapshotType.CHECKPOINT, 4));
    assertThat(dir.resolve("job/savepoints/sp-3")).doesNotExist();
  }

  @Test
  void toolsListSavepointsBesideCheckpointsAndLoadThemByPath() throws Exception {
    persist(SnapshotType.CHECKPOINT, 1);
    persist(SnapshotType.SAVEPOINT, 2);
    List<Checkpoints.Listing> listed =
        Checkpoints.list(dir.resolve("job").toString(), RuntimeConfig.empty());
    assertThat(listed).extracting(Checkpoints.Listing::id).containsExactly(1L, 2L);
    assertThat(listed.get(1).path()).endsWith("/job/savepoints/sp-2");

    CompletedCheckpoint byPath =
        Checkpoints.load(dir.resolve("job/savepoints/sp-2").toString(), RuntimeConfig.empty());
    assertThat(byPath.metadata().type()).isEqualTo(SnapshotType.SAVEPOINT);
    assertThat(Checkpoints.load(dir.toString(), RuntimeConfig.empty()).id()).isEqualTo(2L);
  }

  @Test
  void aSavepointSharesNoFiles() {
    assertThatThrownBy(() -> savepoints.createSharedStream(7, "000012.sst"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("self-contained");
  }

  @Test
  void theMemoryBackendKeepsSavepointsOnlyWithACheckpointDirectory() throws Exception {
    CheckpointStorage withDir = new MemoryCheckpointStorage(Optional.of(checkpoints), 1024);
    withDir
        .forType(SnapshotType.SAVEPOINT)
        .persist(
            new CheckpointMetadata(
                "job",
                1,
                1,
                2,
                "memory",
                128,
                1,
                List.of(),
                Map.of(),
                false,
                SnapshotType.SAVEPOINT,
                0));
    assertThat(dir.resolve("job/savepoints/sp-1/_metadata")).exists();

    CheckpointStorage heapOnly = new MemoryCheckpointStorage(Optional.empty(), 1024);
    assertThatThrownBy(() -> heapOnly.forType(SnapshotType.SAVEPOINT))
        .hasMessageContaining("savepoints need a checkpoint directory");
    assertThat(heapOnly.forType(SnapshotType.CHECKPOINT)).isSameAs(heapOnly);
  }
}
