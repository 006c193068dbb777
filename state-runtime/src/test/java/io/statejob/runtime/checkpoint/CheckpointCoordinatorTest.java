package io.statejob.runtime.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.snapshot.CheckpointMetadata;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.MetadataCodec;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.StopMode;
import io.statejob.runtime.snapshot.StreamHandle;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.snapshot.WorkerAck;
import io.statejob.runtime.storage.CheckpointOutputStream;
import io.statejob.runtime.storage.CheckpointStorage;
import io.statejob.runtime.storage.FileSystemCheckpointStorage;
import io.statejob.runtime.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointCoordinatorTest {
  @TempDir Path dir;

  /** Events a test does not look at; it overrides those it does. */
  private static class NoEvents implements CheckpointCoordinator.Events {
    @Override
    public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {}

    @Override
    public void checkpointFailed(long checkpointId, String reason) {}

    @Override
    public void tooManyFailedCheckpoints(String lastReason) {}

    @Override
    public void finalCheckpointCompleted(CompletedCheckpoint checkpoint) {}

    @Override
    public void fenced(String reason) {}
  }

  /** Real storage whose deletes can be made to fail, as during a storage outage. */
  private static final class FlakyDeletes implements CheckpointStorage {
    private final FileSystemCheckpointStorage real;
    volatile boolean failDeletes;

    FlakyDeletes(FileSystemCheckpointStorage real) {
      this.real = real;
    }

    @Override
    public String location() {
      return real.location();
    }

    @Override
    public CheckpointOutputStream createStream(long checkpointId, int subtask) throws IOException {
      return real.createStream(checkpointId, subtask);
    }

    @Override
    public CompletedCheckpoint persist(CheckpointMetadata metadata) throws IOException {
      return real.persist(metadata);
    }

    @Override
    public void discard(long checkpointId) throws IOException {
      if (failDeletes) {
        throw new IOException("storage unreachable");
      }
      real.discard(checkpointId);
    }

    @Override
    public RecoveredCheckpoints recover() throws IOException {
      return real.recover();
    }

    @Override
    public void close() {}
  }

  @Test
  void filesOfAnAbortedCheckpointThatCouldNotBeDeletedAreDeletedAfterTheNextCompletion()
      throws Exception {
    FlakyDeletes storage =
        new FlakyDeletes(
            new FileSystemCheckpointStorage(dir.toUri(), "job", RuntimeConfig.empty(), 0));
    CompletedCheckpointStore store = CompletedCheckpointStore.recover(storage, 3);
    List<Long> completed = new CopyOnWriteArrayList<>();
    List<String> failed = new CopyOnWriteArrayList<>();
    try (CheckpointCoordinator coordinator =
        new CheckpointCoordinator(
            new CheckpointSettings(
                "job", "filesystem", 128, Duration.ofHours(1), Duration.ofMinutes(1), 10),
            storage,
            store,
            new NoEvents() {
              @Override
              public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
                completed.add(checkpoint.id());
              }

              @Override
              public void checkpointFailed(long checkpointId, String reason) {
                failed.add(reason);
              }
            })) {
      boolean[] declineNext = {true};
      coordinator.expect(1);
      coordinator.start(
          List.of(
              new WorkerGateway() {
                @Override
                public void triggerCheckpoint(long checkpointId, SnapshotType type, StopMode stop) {
                  try {
                    // the worker writes a file, then fails (or succeeds) its snapshot
                    CheckpointOutputStream out = storage.createStream(checkpointId, 0);
                    out.write(new byte[] {1, 2, 3});
                    StreamHandle handle = out.closeAndGetHandle();
                    if (declineNext[0]) {
                      coordinator.decline(0, checkpointId, "upload failed");
                    } else {
                      coordinator.acknowledge(
                          0,
                          checkpointId,
                          MetadataCodec.encodeAck(
                              new WorkerAck(
                                  0,
                                  List.of(
                                      new SubtaskState(
                                          0,
                                          "keyBy-1",
                                          Long.MIN_VALUE,
                                          0,
                                          127,
                                          Collections.nCopies(128, 0L),
                                          0,
                                          List.of(),
                                          null,
                                          handle,
                                          List.of(),
                                          List.of(),
                                          Map.of(),
                                          Optional.empty())),
                                  Map.of(),
                                  0)));
                    }
                  } catch (IOException e) {
                    throw new IllegalStateException(e);
                  }
                }

                @Override
                public void notifyCheckpointComplete(long checkpointId) {}
              }));
      storage.failDeletes = true;
      coordinator.triggerCheckpoint();
      Await.until(() -> failed.size() == 1, 10);
      assertThat(dir.resolve("job/chk-1")).exists();

      storage.failDeletes = false;
      declineNext[0] = false;
      coordinator.triggerCheckpoint();
      Await.until(() -> completed.size() == 1, 10);
      Await.until(() -> !Files.exists(dir.resolve("job/chk-1")), 10);
      assertThat(dir.resolve("job/chk-2/_metadata")).exists();
    }
  }

  /** A worker that records what it is asked and acknowledges only when told. */
  private static final class RecordingWorker implements WorkerGateway {
    final List<String> triggered = new CopyOnWriteArrayList<>();

    @Override
    public void triggerCheckpoint(long checkpointId, SnapshotType type, StopMode stop) {
      triggered.add(
          type.directoryName(checkpointId)
              + (stop.stops() ? "/" + stop.name().toLowerCase(java.util.Locale.ROOT) : ""));
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {}
  }

  private static byte[] emptyAck() throws IOException {
    return MetadataCodec.encodeAck(new WorkerAck(0, List.of(), Map.of(), 0));
  }

  @Test
  void aSnapshotAskedForDuringAnotherIsTakenRightAfterItAndRequestsForItJoin() throws Exception {
    FileSystemCheckpointStorage storage =
        new FileSystemCheckpointStorage(dir.toUri(), "job", RuntimeConfig.empty(), 1024);
    List<Long> completed = new CopyOnWriteArrayList<>();
    RecordingWorker worker = new RecordingWorker();
    try (CheckpointCoordinator coordinator =
        new CheckpointCoordinator(
            new CheckpointSettings(
                "job", "filesystem", 128, Duration.ofHours(1), Duration.ofMinutes(1), 10),
            storage,
            CompletedCheckpointStore.recover(storage, 3),
            new NoEvents() {
              @Override
              public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
                completed.add(checkpoint.id());
              }
            })) {
      coordinator.expect(1);
      coordinator.start(List.of(worker));
      coordinator.triggerCheckpoint();
      Await.until(() -> worker.triggered.size() == 1, 10);

      var savepoint = coordinator.triggerSavepoint(StopMode.NONE);
      var joined = coordinator.triggerSavepoint(StopMode.NONE);
      Thread.sleep(200);
      assertThat(worker.triggered).containsExactly("chk-1");
      assertThat(savepoint).isNotDone();

      coordinator.acknowledge(0, 1, emptyAck());
      Await.until(() -> worker.triggered.size() == 2, 10);
      assertThat(worker.triggered).containsExactly("chk-1", "sp-2");
      assertThat(completed).containsExactly(1L);

      coordinator.acknowledge(0, 2, emptyAck());
      CompletedCheckpoint taken = savepoint.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(taken.path()).endsWith("/job/savepoints/sp-2");
      assertThat(joined.get(10, java.util.concurrent.TimeUnit.SECONDS).id()).isEqualTo(2);
      assertThat(completed).as("a savepoint is not a checkpoint").containsExactly(1L);

      // a checkpoint asked for while a savepoint is in progress is the next to start, and joined
      var savepointInProgress = coordinator.triggerSavepoint(StopMode.NONE);
      Await.until(() -> worker.triggered.size() == 3, 10);
      var checkpoint = coordinator.triggerCheckpoint();
      var joinedCheckpoint = coordinator.triggerCheckpoint();
      coordinator.acknowledge(0, 3, emptyAck());
      Await.until(() -> worker.triggered.size() == 4, 10);
      assertThat(worker.triggered).endsWith("sp-3", "chk-4");
      assertThat(savepointInProgress.get(10, java.util.concurrent.TimeUnit.SECONDS).id())
          .isEqualTo(3);
      assertThat(checkpoint).isNotDone();
      coordinator.acknowledge(0, 4, emptyAck());
      assertThat(checkpoint.get(10, java.util.concurrent.TimeUnit.SECONDS).path())
          .endsWith("/job/chk-4");
      assertThat(joinedCheckpoint.get(10, java.util.concurrent.TimeUnit.SECONDS).id()).isEqualTo(4);
      assertThat(completed).containsExactly(1L, 4L);

      var abandoned = coordinator.triggerSavepoint(StopMode.NONE);
      coordinator.stop();
      assertThat(abandoned)
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withMessageContaining("restarting or stopping");
      assertThat(dir.resolve("job/savepoints/sp-5")).doesNotExist();
    }
  }

  /**
   * A savepoint that stops the job stops a plain one asked for with it, ends checkpointing, and
   * answers later savepoint requests with itself; one that fails asks for a restart, as the
   * workers' sources have stopped.
   */
  @Test
  void aSavepointThatStopsTheJobEndsCheckpointingAndAFailedOneAsksForARestart() throws Exception {
    FileSystemCheckpointStorage storage =
        new FileSystemCheckpointStorage(dir.toUri(), "job", RuntimeConfig.empty(), 1024);
    List<String> stopped = new CopyOnWriteArrayList<>();
    List<String> stopFailures = new CopyOnWriteArrayList<>();
    RecordingWorker worker = new RecordingWorker();
    try (CheckpointCoordinator coordinator =
        new CheckpointCoordinator(
            new CheckpointSettings(
                "job", "filesystem", 128, Duration.ofHours(1), Duration.ofMinutes(1), 10),
            storage,
            CompletedCheckpointStore.recover(storage, 3),
            new NoEvents() {
              @Override
              public void stoppedWithSavepoint(CompletedCheckpoint savepoint) {
                stopped.add(savepoint.path());
              }

              @Override
              public void stopWithSavepointFailed(String reason) {
                stopFailures.add(reason);
              }
            })) {
      coordinator.expect(1);
      coordinator.start(List.of(worker));
      assertThat(coordinator.snapshotInProgressSince()).isZero();
      coordinator.triggerCheckpoint();
      Await.until(() -> worker.triggered.size() == 1, 10);
      assertThat(coordinator.snapshotInProgressSince()).isPositive();
      var plain = coordinator.triggerSavepoint(StopMode.NONE);
      var stopping = coordinator.triggerSavepoint(StopMode.DRAIN);
      coordinator.acknowledge(0, 1, emptyAck());
      Await.until(() -> worker.triggered.size() == 2, 10);
      assertThat(worker.triggered).containsExactly("chk-1", "sp-2/drain");

      coordinator.acknowledge(0, 2, emptyAck());
      CompletedCheckpoint savepoint = stopping.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(plain.get(10, java.util.concurrent.TimeUnit.SECONDS).id()).isEqualTo(2);
      assertThat(stopped).containsExactly(savepoint.path());
      assertThat(coordinator.snapshotInProgressSince()).as("none in progress").isZero();
      assertThat(coordinator.triggerSavepoint(StopMode.STOP).get(10, TimeUnit.SECONDS).path())
          .isEqualTo(savepoint.path());
      assertThat(worker.triggered).as("nothing triggered after the stop").hasSize(2);
      assertThat(coordinator.triggerCheckpoint())
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withMessageContaining("stopped with savepoint " + savepoint.path());

      // the next attempt runs again; its stop fails
      coordinator.stop();
      coordinator.expect(1);
      coordinator.start(List.of(worker));
      var failing = coordinator.triggerSavepoint(StopMode.STOP);
      Await.until(() -> worker.triggered.stream().anyMatch(t -> t.endsWith("/stop")), 10);
      long id = Long.parseLong(worker.triggered.get(worker.triggered.size() - 1).split("[-/]")[1]);
      coordinator.decline(0, id, "upload failed");
      assertThat(failing)
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withMessageContaining("upload failed");
      Await.until(() -> stopFailures.size() == 1, 10);
      assertThat(stopFailures.get(0)).contains("savepoint " + id + " failed");
    }
  }
}
