package io.statejob.runtime.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.snapshot.CheckpointMetadata;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.CorruptCheckpointException;
import io.statejob.runtime.snapshot.IncrementalHandle;
import io.statejob.runtime.snapshot.MetadataCodec;
import io.statejob.runtime.snapshot.SourcePosition;
import io.statejob.runtime.snapshot.StreamHandle;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.snapshot.UnsupportedCheckpointFormatException;
import io.statejob.runtime.storage.CheckpointStorage;
import io.statejob.runtime.storage.Checkpoints;
import io.statejob.runtime.storage.FileSystemCheckpointStorage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class CheckpointAtomicityTest {
  @TempDir Path dir;
  private FileSystemCheckpointStorage storage;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger storageLogger =
      (Logger) LoggerFactory.getLogger(FileSystemCheckpointStorage.class);

  @BeforeEach
  void setUp() throws Exception {
    storage = new FileSystemCheckpointStorage(dir.toUri(), "job", RuntimeConfig.empty(), 1024);
    logs.start();
    storageLogger.addAppender(logs);
  }

  @AfterEach
  void tearDown() throws Exception {
    storageLogger.detachAppender(logs);
    storage.close();
  }

  private CompletedCheckpoint persist(long id) throws Exception {
    return storage.persist(
        new CheckpointMetadata(
            "job",
            id,
            id * 1000,
            id * 1000 + 5,
            "filesystem",
            128,
            1,
            List.of(),
            Map.of(),
            false,
            null,
            0));
  }

  private Path metadataOf(long id) {
    return dir.resolve("job").resolve("chk-" + id).resolve("_metadata");
  }

  @Test
  void aCheckpointOfAnOlderFormatStopsTheRecoveryInsteadOfBeingSkipped() throws Exception {
    persist(1);
    persist(2);
    byte[] bytes = Files.readAllBytes(metadataOf(2));
    ByteBuffer.wrap(bytes)
        .putInt(4, 2); // the header's format version; the checksum covers the body
    Files.write(metadataOf(2), bytes);

    // an older checkpoint is of the old format too: skipping to it would not help
    assertThatThrownBy(() -> storage.recover())
        .isInstanceOf(UnsupportedCheckpointFormatException.class)
        .hasMessageContaining("chk-2/_metadata")
        .hasMessageContaining("format version 2 is not supported")
        .hasMessageContaining("to " + MetadataCodec.VERSION);
  }

  @Test
  void metadataIsWrittenUnderItsFinalNameOnlyWhenComplete() throws Exception {
    persist(1);
    assertThat(metadataOf(1)).exists();
    assertThat(metadataOf(1).resolveSibling("_metadata.inprogress")).doesNotExist();
    assertThat(storage.recover().completed())
        .extracting(CompletedCheckpoint::id)
        .containsExactly(1L);
  }

  @Test
  void aCheckpointWithoutMetadataIsNeverRestored() throws Exception {
    persist(1);
    persist(2);
    Files.createDirectories(dir.resolve("job/chk-3"));
    Files.write(dir.resolve("job/chk-3/subtask-0-abc"), new byte[100]);
    CheckpointStorage.RecoveredCheckpoints found = storage.recover();
    assertThat(found.completed()).extracting(CompletedCheckpoint::id).containsExactly(1L, 2L);
    assertThat(found.incomplete()).containsExactly(3L);
    assertThat(found.highestId()).isEqualTo(3);
  }

  @Test
  void aTruncatedOrDamagedMetadataIsSkippedWithAWarningAndThePreviousOneUsed() throws Exception {
    persist(1);
    persist(2);
    persist(3);
    persist(4);
    byte[] full = Files.readAllBytes(metadataOf(4));
    Files.write(metadataOf(4), java.util.Arrays.copyOf(full, full.length / 2));
    Files.write(metadataOf(3), new byte[0]);
    byte[] damaged = Files.readAllBytes(metadataOf(2));
    damaged[damaged.length / 2] ^= 0x40;
    Files.write(metadataOf(2), damaged);

    CompletedCheckpointStore store = CompletedCheckpointStore.recover(storage, 5);
    assertThat(store.latest()).map(CompletedCheckpoint::id).hasValue(1L);
    assertThat(store.nextCheckpointId()).isEqualTo(5);
    assertThat(logs.list)
        .filteredOn(e -> e.getFormattedMessage().contains("skipping corrupt checkpoint"))
        .hasSize(3);
  }

  @Test
  void aDamagedSharedFileRulesOutEveryCheckpointThatReferencesItAndOnlyThose() throws Exception {
    CompletedCheckpointStore store = CompletedCheckpointStore.recover(storage, 5);
    store.add(persistSharing(1, "a"));
    store.add(persistSharing(2, "a", "b"));
    CompletedCheckpoint third = persistSharing(3, "b", "c");
    store.add(third);

    assertThat(store.markDamaged(third, "file:/shared/b")).containsExactly(2L, 3L);
    assertThat(store.restorePoint()).map(CompletedCheckpoint::id).hasValue(1L);
    store.add(persistSharing(4, "a"));
    assertThat(store.restorePoint()).map(CompletedCheckpoint::id).hasValue(4L);
  }

  @Test
  void aSnapshotOfAnotherJobIsNotMarkedInThisJobsStore() throws Exception {
    CompletedCheckpointStore store = CompletedCheckpointStore.recover(storage, 5);
    store.add(persistSharing(1, "a"));
    CompletedCheckpoint elsewhere =
        new CompletedCheckpoint(persistSharing(9, "z").metadata(), "file:/other-job/chk-9");

    assertThat(store.markDamaged(elsewhere, "file:/shared/z")).isEmpty();
    assertThat(store.restorePoint()).map(CompletedCheckpoint::id).hasValue(1L);
  }

  /** A checkpoint of one subtask whose incremental state is in the shared files named. */
  private CompletedCheckpoint persistSharing(long id, String... shared) throws Exception {
    Map<String, StreamHandle> files = new java.util.TreeMap<>();
    for (String name : shared) {
      files.put(name + ".sst", StreamHandle.file("file:/shared/" + name, 10, 0));
    }
    SubtaskState subtask =
        new SubtaskState(
            0,
            "keyBy-1",
            Long.MIN_VALUE,
            0,
            0,
            List.of(0L),
            1,
            List.of(0L),
            0L,
            StreamHandle.inline(new byte[] {0, 0}),
            List.of(),
            List.of(),
            Map.of(),
            Optional.of(new IncrementalHandle(files, Map.of(), 0)));
    return storage.persist(
        new CheckpointMetadata(
            "job", id, 0, 0, "rocksdb", 128, 1, List.of(subtask), Map.of(), false, null, 0));
  }

  @Test
  void everyTruncationOfMetadataIsDetected() throws Exception {
    persist(7);
    byte[] full = Files.readAllBytes(metadataOf(7));
    for (int length = 0; length < full.length; length++) {
      int cut = length;
      assertThatThrownBy(() -> MetadataCodec.decode(java.util.Arrays.copyOf(full, cut)))
          .isInstanceOf(CorruptCheckpointException.class);
    }
    Files.write(metadataOf(7), new byte[] {1}, StandardOpenOption.APPEND);
    assertThatThrownBy(
            () -> Checkpoints.load(dir.resolve("job/chk-7").toString(), RuntimeConfig.empty()))
        .isInstanceOf(CorruptCheckpointException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void leftoversOfCrashedAttemptsAreDeletedOlderOnesAtOnceNewerOnesAfterTheNextCompletion()
      throws Exception {
    Files.createDirectories(dir.resolve("job/chk-1"));
    persist(2);
    Files.createDirectories(dir.resolve("job/chk-3"));
    CompletedCheckpointStore store = CompletedCheckpointStore.recover(storage, 3);
    assertThat(dir.resolve("job/chk-1")).doesNotExist();
    assertThat(dir.resolve("job/chk-2")).exists();
    // a newer one may still be written by a coordinator that has not noticed it was replaced
    assertThat(dir.resolve("job/chk-3")).exists();
    assertThat(store.nextCheckpointId()).isEqualTo(4);
    store.add(persist(4));
    assertThat(dir.resolve("job/chk-3")).doesNotExist();
    assertThat(dir.resolve("job/chk-4")).exists();
  }

  @Test
  void olderCheckpointsBeyondTheRetainedCountAreDeleted() throws Exception {
    CompletedCheckpointStore store = CompletedCheckpointStore.recover(storage, 2);
    for (long id = 1; id <= 5; id++) {
      store.add(persist(id));
    }
    assertThat(store.all()).extracting(CompletedCheckpoint::id).containsExactly(4L, 5L);
    try (var children = Files.list(dir.resolve("job"))) {
      assertThat(children.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("chk-4", "chk-5");
    }
  }

  @Test
  void metadataRoundTripsWithInlineAndFileHandles() throws Exception {
    SubtaskState ack =
        new SubtaskState(
            0,
            "keyBy-1",
            Long.MIN_VALUE,
            0,
            63,
            List.of(0L, 5L),
            10,
            List.of(11L, 12L),
            13L,
            StreamHandle.inline(new byte[] {1, 2, 3}),
            List.of(),
            List.of("f.op"),
            Map.of("f.op", 3L),
            Optional.empty());
    CheckpointMetadata metadata =
        new CheckpointMetadata(
            "job",
            9,
            1,
            2,
            "memory",
            128,
            1,
            List.of(ack),
            Map.of("datagen-00000", new SourcePosition(7, 70)),
            true,
            null,
            12);
    CheckpointMetadata decoded = MetadataCodec.decode(MetadataCodec.encode(metadata));
    assertThat(decoded.checkpointId()).isEqualTo(9);
    assertThat(decoded.finalCheckpoint()).isTrue();
    assertThat(decoded.subtasks().get(0).stream().data()).containsExactly(1, 2, 3);
    assertThat(decoded.subtasks().get(0).keyGroupOffsets()).containsExactly(0L, 5L);
    assertThat(decoded.subtasks().get(0).keyGroupChecksums()).containsExactly(11L, 12L);
    assertThat(decoded.subtasks().get(0).operatorStateChecksum()).isEqualTo(13L);
    assertThat(decoded.subtasks().get(0).stream().crc32c())
        .isEqualTo(StreamHandle.inline(new byte[] {1, 2, 3}).crc32c());
    assertThat(decoded.subtasks().get(0).incremental()).isEmpty();
    assertThat(decoded.subtasks().get(0).operatorStates()).containsExactly("f.op");
    assertThat(decoded.stage("keyBy-1")).hasSize(1);
    assertThat(decoded.splits()).containsEntry("datagen-00000", new SourcePosition(7, 70));
    assertThat(decoded.alignmentMillis()).isEqualTo(12);
  }
}
