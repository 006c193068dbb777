package io.statejob.runtime.state;

import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.snapshot.IncrementalHandle;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.storage.CheckpointStorage;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Frozen keyed state, written key group by key group on a snapshot thread. */
public interface KeyedStateSnapshot {
  /** The states in the snapshot; a block refers to a state by its index here. */
  List<StateMeta> states();

  /**
   * Writes the entries of state {@code stateIndex} in {@code keyGroup} into {@code out}.
   *
   * @return false when the state has no entries in the key group (nothing written)
   */
  boolean writeBlock(int stateIndex, int keyGroup, DataOutputBuffer out) throws IOException;

  /**
   * Uploads the files of a file-based snapshot (RocksDB incremental) before the stream is written.
   *
   * @param owner names the snapshot's worker and stage in shared file names, which must not clash
   *     with another's
   */
  default Optional<IncrementalHandle> uploadFiles(
      CheckpointStorage storage, long checkpointId, int subtask, String owner) throws IOException {
    return Optional.empty();
  }

  /** Releases the frozen state; writers to it no longer need to copy. */
  void release();

  /** The snapshot of a stage without keyed state. */
  KeyedStateSnapshot NONE =
      new KeyedStateSnapshot() {
        @Override
        public List<StateMeta> states() {
          return List.of();
        }

        @Override
        public boolean writeBlock(int stateIndex, int keyGroup, DataOutputBuffer out) {
          return false;
        }

        @Override
        public void release() {}
      };
}
