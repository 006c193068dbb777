package io.statejob.runtime.checkpoint;

import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.storage.CheckpointStorage;
import io.statejob.runtime.storage.SnapshotDirectory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retained completed checkpoints of a job, newest last, and its savepoints. Adding a checkpoint
 * subsumes the oldest beyond the retained count; an entry is dropped only after its files are
 * deleted, so a failed deletion is retried instead of leaking. Savepoints are never deleted here:
 * they belong to whoever asked for them. A snapshot found damaged while restoring stays (retention
 * removes it in turn) but is never restored from again.
 */
public final class CompletedCheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CompletedCheckpointStore.class);

  private final CheckpointStorage storage;
  private final int retained;
  private final Deque<CompletedCheckpoint> checkpoints = new ArrayDeque<>();

  /** Oldest first. */
  private final List<CompletedCheckpoint> savepoints = new ArrayList<>();

  /** Ids of checkpoints and savepoints (one sequence) with a damaged file. */
  private final Set<Long> damaged = new HashSet<>();

  private long highestId;

  /**
   * Incomplete snapshot directories newer than the newest completed checkpoint at recovery: kept
   * until this coordinator completes a snapshot of its own, then deleted as stale.
   */
  private final List<SnapshotDirectory> staleIncomplete = new ArrayList<>();

  private CompletedCheckpointStore(CheckpointStorage storage, int retained) {
    this.storage = storage;
    this.retained = retained;
  }

  /**
   * Loads the completed checkpoints and savepoints in storage and deletes the leftovers of attempts
   * that never completed and are older than the newest completed snapshot.
   */
  public static CompletedCheckpointStore recover(CheckpointStorage storage, int retained)
      throws IOException {
    CompletedCheckpointStore store = new CompletedCheckpointStore(storage, retained);
    CheckpointStorage.RecoveredCheckpoints found = storage.recover();
    store.checkpoints.addAll(found.completed());
    store.highestId = found.highestId();
    Optional<CheckpointStorage> savepointStorage = savepointStorage(storage);
    CheckpointStorage.RecoveredCheckpoints savepoints =
        savepointStorage.isPresent()
            ? savepointStorage.get().recover()
            : CheckpointStorage.RecoveredCheckpoints.none();
    store.savepoints.addAll(savepoints.completed());
    store.reserve(savepoints.highestId());
    long newest = store.restorePoint().map(CompletedCheckpoint::id).orElse(0L);
    store.sortOutIncomplete(SnapshotType.CHECKPOINT, found.incomplete(), newest);
    store.sortOutIncomplete(SnapshotType.SAVEPOINT, savepoints.incomplete(), newest);
    store.subsume();
    return store;
  }

  private static Optional<CheckpointStorage> savepointStorage(CheckpointStorage storage) {
    try {
      return Optional.of(storage.forType(SnapshotType.SAVEPOINT));
    } catch (UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  private void sortOutIncomplete(SnapshotType type, List<Long> incomplete, long newest) {
    for (long id : incomplete) {
      SnapshotDirectory leftover = new SnapshotDirectory(type, id);
      if (id >= newest || !leftover.discardFrom(storage)) {
        staleIncomplete.add(leftover);
      }
    }
  }

  /** The newest retained checkpoint. */
  public Optional<CompletedCheckpoint> latest() {
    return Optional.ofNullable(checkpoints.peekLast());
  }

  /** The newest savepoint of the job. */
  public Optional<CompletedCheckpoint> latestSavepoint() {
    return savepoints.isEmpty()
        ? Optional.empty()
        : Optional.of(savepoints.get(savepoints.size() - 1));
  }

  /** Where the job resumes: the newest checkpoint or savepoint that is not known to be damaged. */
  public Optional<CompletedCheckpoint> restorePoint() {
    return Stream.concat(checkpoints.stream(), savepoints.stream())
        .filter(snapshot -> !damaged.contains(snapshot.id()))
        .max(Comparator.comparingLong(CompletedCheckpoint::id));
  }

  /**
   * Marks {@code restoredFrom} and every other snapshot that references {@code file} as damaged, so
   * that {@link #restorePoint} passes over them: a shared file is in several checkpoints.
   *
   * @return the ids of this job's snapshots now marked, oldest first; without {@code
   *     restoredFrom}'s when it is not one of them (a restore path of another job)
   */
  public List<Long> markDamaged(CompletedCheckpoint restoredFrom, String file) {
    List<Long> marked =
        Stream.concat(checkpoints.stream(), savepoints.stream())
            .filter(
                snapshot ->
                    snapshot.path().equals(restoredFrom.path())
                        || snapshot.metadata().files().contains(file))
            .map(CompletedCheckpoint::id)
            .sorted()
            .toList();
    damaged.addAll(marked);
    return marked;
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
    staleIncomplete.removeIf(leftover -> leftover.discardFrom(storage));
    subsume();
  }

  public void addSavepoint(CompletedCheckpoint savepoint) {
    savepoints.add(savepoint);
    reserve(savepoint.id());
    staleIncomplete.removeIf(leftover -> leftover.discardFrom(storage));
  }

  /**
   * Drops checkpoints beyond the retained count, oldest first, each only after its files are gone;
   * then deletes shared files no retained checkpoint references. An interrupted run of this is
   * finished by the next one, since both steps only remove what retained checkpoints do not need.
   */
  private void subsume() {
    Set<String> released = new HashSet<>();
    while (checkpoints.size() > retained) {
      CompletedCheckpoint oldest = checkpoints.peekFirst();
      if (!new SnapshotDirectory(SnapshotType.CHECKPOINT, oldest.id()).discardFrom(storage)) {
        return;
      }
      released.addAll(sharedFilesOf(oldest));
      checkpoints.removeFirst();
    }
    latest()
        .ifPresent(
            newest -> {
              Set<String> referenced = new HashSet<>();
              checkpoints.forEach(checkpoint -> referenced.addAll(sharedFilesOf(checkpoint)));
              released.removeAll(referenced);
              try {
                storage.collectGarbage(referenced, newest.id());
                storage.deleteClaimed(released);
              } catch (IOException e) {
                LOG.atWarn()
                    .addKeyValue("reason", e.getMessage())
                    .log("cannot delete unreferenced shared files; will retry");
              }
            });
  }

  private static Set<String> sharedFilesOf(CompletedCheckpoint checkpoint) {
    Set<String> files = new HashSet<>();
    for (SubtaskState subtask : checkpoint.metadata().subtasks()) {
      subtask
          .incremental()
          .ifPresent(
              incremental -> incremental.sharedFiles().values().forEach(f -> files.add(f.path())));
    }
    return files;
  }
}
