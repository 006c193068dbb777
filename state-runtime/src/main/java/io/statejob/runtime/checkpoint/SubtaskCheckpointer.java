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
import io.statejob.runtime.snapshot.WorkerAck;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.storage.CheckpointStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's side of the checkpoint protocol. Each stage of the worker freezes its state when the
 * barrier reaches it, on its own thread; once every stage has, the frozen parts are written (on a
 * snapshot thread, unless snapshots are synchronous) and the worker acknowledges once, or declines
 * with the reason.
 */
public final class SubtaskCheckpointer {
  private static final Logger LOG = LoggerFactory.getLogger(SubtaskCheckpointer.class);

  private final int subtask;
  private final KeyGroupRange range;
  private final int stages;
  private final CheckpointStorage storage;
  private final boolean asyncSnapshots;
  private final long maxMessageSize;
  private final CoordinatorGateway coordinator;
  private final ExecutorService snapshotWriter;

  /** Checkpoints some stages have frozen their state for, by id; guarded by {@code this}. */
  private final TreeMap<Long, Parts> pending = new TreeMap<>();

  /**
   * One stage's state frozen between two records.
   *
   * @param stage the stage's id
   * @param splits the positions of the source splits the stage reads; empty for a keyed stage
   * @param keyed its keyed state, {@link KeyedStateSnapshot#NONE} for the source stage
   * @param operatorStates the operator state of its functions
   * @param alignmentNanos how long the stage waited for the barrier from every worker
   * @param watermark the stage's event time
   */
  public record FrozenStage(
      String stage,
      Map<String, SourcePosition> splits,
      KeyedStateSnapshot keyed,
      List<OperatorStateSnapshot> operatorStates,
      long alignmentNanos,
      long watermark) {}

  private static final class Parts {
    final SnapshotType type;
    final FrozenStage[] stages;
    int count;

    Parts(SnapshotType type, int stages) {
      this.type = type;
      this.stages = new FrozenStage[stages];
    }

    void release() {
      for (FrozenStage stage : stages) {
        if (stage != null) {
          stage.keyed().release();
        }
      }
    }
  }

  /**
   * @param range the key groups of the worker
   * @param stages how many stages the worker runs, each of which reports every checkpoint
   * @param asyncSnapshots whether frozen state is written while processing goes on
   * @param maxMessageSize the largest acknowledgement the coordinator takes, in bytes
   */
  public SubtaskCheckpointer(
      int subtask,
      KeyGroupRange range,
      int stages,
      CheckpointStorage storage,
      boolean asyncSnapshots,
      long maxMessageSize,
      CoordinatorGateway coordinator) {
    this.subtask = subtask;
    this.range = range;
    this.stages = stages;
    this.storage = storage;
    this.asyncSnapshots = asyncSnapshots;
    this.maxMessageSize = maxMessageSize;
    this.coordinator = coordinator;
    this.snapshotWriter = DaemonThreads.single("snapshot-writer-" + subtask);
  }

  /**
   * Stage {@code stageIndex} froze its state for {@code checkpointId}; called on the stage's
   * thread. The last stage to report starts the write. A newer checkpoint abandons older incomplete
   * ones: the coordinator gave them up.
   */
  public void stageFrozen(
      long checkpointId, SnapshotType type, int stageIndex, FrozenStage frozen) {
    Parts complete;
    synchronized (this) {
      NavigableMap<Long, Parts> older = pending.headMap(checkpointId, false);
      older.values().forEach(Parts::release);
      older.clear();
      Parts parts = pending.computeIfAbsent(checkpointId, id -> new Parts(type, stages));
      if (parts.stages[stageIndex] != null) {
        frozen.keyed().release();
        return;
      }
      parts.stages[stageIndex] = frozen;
      if (++parts.count < stages) {
        return;
      }
      complete = pending.remove(checkpointId);
    }
    Runnable write = () -> write(storage.forType(complete.type), checkpointId, complete);
    if (asyncSnapshots) {
      snapshotWriter.execute(write);
    } else {
      write.run();
    }
  }

  /** A stage could not freeze its state: the checkpoint fails. */
  public void decline(long checkpointId, Exception cause) {
    synchronized (this) {
      Parts parts = pending.remove(checkpointId);
      if (parts != null) {
        parts.release();
      }
    }
    coordinator.declineCheckpoint(
        subtask, checkpointId, cause.getClass().getSimpleName() + ": " + cause.getMessage());
  }

  /** The asynchronous part: writes the frozen stages and acknowledges. */
  private void write(CheckpointStorage target, long checkpointId, Parts parts) {
    try {
      List<SubtaskState> states = new ArrayList<>();
      Map<String, SourcePosition> splits = new TreeMap<>();
      long alignmentNanos = 0;
      for (FrozenStage stage : parts.stages) {
        splits.putAll(stage.splits());
        alignmentNanos = Math.max(alignmentNanos, stage.alignmentNanos());
        if (stage.keyed().states().isEmpty() && stage.operatorStates().isEmpty()) {
          continue; // a stage without state (the source, a plain sink) writes nothing
        }
        SubtaskState state =
            SubtaskSnapshotFormat.write(
                target,
                checkpointId,
                subtask,
                stage.stage(),
                stage.watermark(),
                range,
                stage.keyed(),
                stage.operatorStates());
        Optional<String> problem = target.checkAck(state);
        if (problem.isPresent()) {
          coordinator.declineCheckpoint(subtask, checkpointId, problem.get());
          return;
        }
        states.add(state);
      }
      byte[] ack =
          MetadataCodec.encodeAck(
              new WorkerAck(
                  subtask, states, splits, TimeUnit.NANOSECONDS.toMillis(alignmentNanos)));
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
      parts.release();
    }
  }

  /**
   * Stops writing and waits for a snapshot being written to end: it may still read native state,
   * which must not be closed under it. The wait ignores interrupts (the caller is often a task that
   * was cancelled by one) and keeps the interrupt status.
   *
   * @return false when the writer did not stop within 30 s; the state it reads must then stay open
   */
  public boolean closeAndAwaitWriter() {
    synchronized (this) {
      pending.values().forEach(Parts::release);
      pending.clear();
    }
    snapshotWriter.shutdownNow();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return snapshotWriter.awaitTermination(
              Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
