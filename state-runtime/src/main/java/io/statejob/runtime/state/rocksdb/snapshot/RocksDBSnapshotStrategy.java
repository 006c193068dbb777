package io.statejob.runtime.state.rocksdb.snapshot;

import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.StreamHandle;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;
import io.statejob.runtime.state.rocksdb.database.RocksDBInstance;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes the snapshots of one RocksDB instance, full or incremental, and owns the incremental base:
 * the SST files of the last completed checkpoint, which the next incremental one references instead
 * of uploading them again. A savepoint is always full: it must not share files, and it leaves the
 * incremental base alone.
 */
public final class RocksDBSnapshotStrategy {
  private final RocksDBInstance instance;
  private final boolean incremental;
  private final Set<KeyedStateSnapshot> openSnapshots = ConcurrentHashMap.newKeySet();

  /** SST files of the last completed checkpoint, which the next incremental one may reference. */
  private volatile Map<String, StreamHandle> lastCompletedShared = Map.of();

  /** SST files each pending checkpoint uploaded or referenced, until it completes. */
  private final Map<Long, Map<String, StreamHandle>> uploadedShared = new ConcurrentHashMap<>();

  public RocksDBSnapshotStrategy(RocksDBInstance instance, boolean incremental) {
    this.instance = instance;
    this.incremental = incremental;
  }

  /** The synchronous part of snapshot {@code checkpointId} of the states in {@code columns}. */
  public KeyedStateSnapshot take(long checkpointId, SnapshotType type, List<RocksDBColumn> columns)
      throws IOException {
    KeyedStateSnapshot snapshot =
        incremental && !type.isSavepoint()
            ? RocksDBIncrementalSnapshot.take(
                instance, checkpointId, columns, lastCompletedShared, this)
            : RocksDBFullSnapshot.take(instance.db(), columns, this::released);
    openSnapshots.add(snapshot);
    return snapshot;
  }

  /** The files of a restored incremental checkpoint: the base of the next incremental one. */
  public void restoredFrom(Map<String, StreamHandle> sharedFiles) {
    lastCompletedShared = sharedFiles;
  }

  /** Snapshot {@code checkpointId} completed: its files become the incremental base. */
  public void notifyCheckpointComplete(long checkpointId) {
    Map<String, StreamHandle> shared = uploadedShared.remove(checkpointId);
    if (shared != null) {
      lastCompletedShared = shared;
    }
    uploadedShared.keySet().removeIf(id -> id < checkpointId);
  }

  /** Releases the snapshots still being written, before the instance closes. */
  public void releaseAll() {
    for (KeyedStateSnapshot snapshot : List.copyOf(openSnapshots)) {
      snapshot.release();
    }
  }

  void sharedFilesUploaded(long checkpointId, Map<String, StreamHandle> shared) {
    uploadedShared.put(checkpointId, shared);
  }

  void released(KeyedStateSnapshot snapshot) {
    openSnapshots.remove(snapshot);
  }
}
