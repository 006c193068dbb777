package io.statejob.runtime.checkpoint;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retained completed checkpoints of a job, newest last. Adding one subsumes the oldest beyond
 * the retained count; an entry is dropped only after its files are deleted, so a failed deletion is
 * retried instead of leaking.
 */
public final class CompletedCheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CompletedCheckpointStore.class);

  private final CheckpointStorage storage;
  private final int retained;
  private final Deque<CompletedCheckpoint> checkpoints = new ArrayDeque<>();
  private long highestId;

  /**
   * Incomplete checkpoint directories newer than the newest completed checkpoint at recovery: kept
   * until this coordinator completes a checkpoint of its own, then deleted as stale.
   */
  private final List<Long> staleIncomplete = new java.util.ArrayList<>();

  private CompletedCheckpointStore(CheckpointStorage storage, int retained) {
    this.storage = storage;
    this.retained = retained;
  }

  /**
   * Loads the completed checkpoints in storage and deletes the leftovers of attempts that never
   * completed and are older than the newest completed checkpoint.
   */
  public static CompletedCheckpointStore recover(CheckpointStorage storage, int retained)
      throws IOException {
    CompletedCheckpointStore store = new CompletedCheckpointStore(storage, retained);
    CheckpointStorage.RecoveredCheckpoints found = storage.recover();
    store.checkpoints.addAll(found.completed());
    store.highestId = found.highestId();
    long newest = store.latest().map(CompletedCheckpoint::id).orElse(0L);
    for (long id : found.incomplete()) {
      if (id < newest) {
        store.discardQuietly(id);
      } else {
        store.staleIncomplete.add(id);
      }
    }
    store.subsume();
    return store;
  }

  public Optional<CompletedCheckpoint> latest() {
    return Optional.ofNullable(checkpoints.peekLast());
  }

  public List<CompletedCheckpoint> all() {
    return List.copyOf(checkpoints);
  }

  /** The id for the next checkpoint: above every id ever seen in storage. */
  public long nextCheckpointId() {
    return highestId + 1;
  }

  /** Reserves {@code id} so it is never reused, even when its checkpoint fails. */
  public void reserve(long id) {
    highestId = Math.max(highestId, id);
  }

  public void add(CompletedCheckpoint checkpoint) {
    checkpoints.addLast(checkpoint);
    reserve(checkpoint.id());
    staleIncomplete.removeIf(this::discardQuietly);
    subsume();
  }

  /**
   * Drops checkpoints beyond the retained count, oldest first, each only after its files are gone;
   * then deletes shared files no retained checkpoint references. An interrupted run of this is
   * finished by the next one, since both steps only remove what retained checkpoints do not need.
   */
  private void subsume() {
    while (checkpoints.size() > retained) {
      CompletedCheckpoint oldest = checkpoints.peekFirst();
      if (!discardQuietly(oldest.id())) {
        return;
      }
      checkpoints.removeFirst();
    }
    latest()
        .ifPresent(
            newest -> {
              try {
                storage.collectGarbage(referencedSharedFiles(), newest.id());
              } catch (IOException e) {
                LOG.atWarn()
                    .addKeyValue("reason", e.getMessage())
                    .log("cannot delete unreferenced shared files; will retry");
              }
            });
  }

  private Set<String> referencedSharedFiles() {
    Set<String> referenced = new HashSet<>();
    for (CompletedCheckpoint checkpoint : checkpoints) {
      for (SubtaskState subtask : checkpoint.metadata().subtasks()) {
        if (subtask.incremental() != null) {
          subtask.incremental().sharedFiles().values().forEach(f -> referenced.add(f.path()));
        }
      }
    }
    return referenced;
  }

  private boolean discardQuietly(long id) {
    try {
      storage.discard(id);
      return true;
    } catch (IOException e) {
      LOG.atWarn()
          .addKeyValue("checkpoint", id)
          .addKeyValue("reason", e.getMessage())
          .log("cannot delete old checkpoint; will retry");
      return false;
    }
  }
}
