package io.statejob.runtime.checkpoint;

import io.statejob.api.config.ConfigValues;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.concurrent.DaemonThreads;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.snapshot.MetadataCodec;
import io.statejob.runtime.snapshot.OperatorStateSnapshot;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.SourcePosition;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.storage.CheckpointStorage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of the checkpoint protocol: the synchronous part on the task thread (the task
 * freezes its state), the write of the frozen state (on a snapshot thread, unless snapshots are
 * synchronous), and the acknowledgement, or a decline with the reason.
 */
public final class SubtaskCheckpointer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SubtaskCheckpointer.class);

  private final int subtask;
  private final KeyGroupRange range;
  private final CheckpointStorage storage;
  private final boolean asyncSnapshots;
  private final long maxMessageSize;
  private final CoordinatorGateway coordinator;
  private final ExecutorService snapshotWriter;

  /** A worker's state frozen between two records. */
  public record FrozenState(
      SourcePosition[] positions,
      KeyedStateSnapshot keyed,
      List<OperatorStateSnapshot> operatorStates) {}

  /** Freezes the task's state for a snapshot; runs on the task thread. */
  @FunctionalInterface
  public interface StateFreezer {
    FrozenState freeze(long checkpointId, SnapshotType type) throws Exception;
  }

  /**
   * @param range the key groups of the worker, whose source positions a snapshot holds
   * @param asyncSnapshots whether frozen state is written while processing goes on
   * @param maxMessageSize the largest acknowledgement the coordinator takes, in bytes
   */
  public SubtaskCheckpointer(
      int subtask,
      KeyGroupRange range,
      CheckpointStorage storage,
      boolean asyncSnapshots,
      long maxMessageSize,
      CoordinatorGateway coordinator) {
    this.subtask = subtask;
    this.range = range;
    this.storage = storage;
    this.asyncSnapshots = asyncSnapshots;
    this.maxMessageSize = maxMessageSize;
    this.coordinator = coordinator;
    this.snapshotWriter = DaemonThreads.single("snapshot-writer-" + subtask);
  }

  /** The synchronous part, on the task thread between two records. */
  public void checkpoint(long checkpointId, SnapshotType type, StateFreezer freezer) {
    try {
      FrozenState state = freezer.freeze(checkpointId, type);
      CheckpointStorage target = storage.forType(type);
      Runnable write = () -> write(target, checkpointId, state);
      if (asyncSnapshots) {
        snapshotWriter.execute(write);
      } else {
        write.run();
      }
    } catch (Exception e) {
      coordinator.declineCheckpoint(
          subtask, checkpointId, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /** The asynchronous part: writes the frozen state and acknowledges. */
  private void write(CheckpointStorage target, long checkpointId, FrozenState frozen) {
    try {
      SubtaskState state =
          SubtaskSnapshotFormat.write(
              target,
              checkpointId,
              subtask,
              range,
              frozen.positions(),
              frozen.keyed(),
              frozen.operatorStates());
      Optional<String> problem = target.checkAck(state);
      if (problem.isPresent()) {
        coordinator.declineCheckpoint(subtask, checkpointId, problem.get());
        return;
      }
      byte[] ack = MetadataCodec.encodeAck(state);
      if (ack.length > maxMessageSize) {
        coordinator.declineCheckpoint(
            subtask,
            checkpointId,
            "the acknowledgement of subtask "
                + subtask
                + " is "
                + ConfigValues.formatBytes(ack.length)
                + ", over "
                + RuntimeOptions.MAX_MESSAGE_SIZE.key()
                + " = "
                + ConfigValues.formatBytes(maxMessageSize)
                + "; use the filesystem or rocksdb backend for state this large");
        return;
      }
      coordinator.acknowledgeCheckpoint(subtask, checkpointId, ack);
    } catch (Exception e) {
      // the coordinator logs the failure once, with the reason sent below; the trace is for
      // debugging
      LOG.atDebug()
          .addKeyValue("checkpoint", checkpointId)
          .addKeyValue("subtask", subtask)
          .setCause(e)
          .log("snapshot failed");
      coordinator.declineCheckpoint(
          subtask, checkpointId, "cannot write to " + target.describeFailure(e));
    } finally {
      frozen.keyed().release();
    }
  }

  /** Stops writing; a snapshot still reading native state ends before that state is closed. */
  @Override
  public void close() {
    snapshotWriter.shutdownNow();
    try {
      snapshotWriter.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
