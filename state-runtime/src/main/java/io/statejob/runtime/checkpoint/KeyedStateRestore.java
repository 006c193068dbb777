package io.statejob.runtime.checkpoint;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.IncrementalRestoreTarget;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.rocksdb.restore.IncrementalSnapshotReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Restores the keyed state of one stage on one worker, at any parallelism: the key groups of its
 * range, from whichever workers of the checkpoint held them.
 */
public final class KeyedStateRestore {
  private KeyedStateRestore() {}

  /** Fills {@code backend} from {@code handles}, the states of one stage. */
  public static void restore(
      List<SubtaskState> handles,
      KeyGroupRange range,
      KeyedStateBackend<?> backend,
      RuntimeConfig config)
      throws IOException {
    List<SubtaskState> incremental = new ArrayList<>();
    for (SubtaskState handle : handles) {
      if (handle.keyGroupRange().intersect(range).size() == 0) {
        continue;
      }
      SubtaskSnapshotFormat.readKeyGroups(handle, range, config, backend::restoreBlock);
      if (handle.incremental().isPresent()) {
        incremental.add(handle);
      }
    }
    if (incremental.isEmpty()) {
      return;
    }
    if (backend instanceof IncrementalRestoreTarget target) {
      target.restoreIncremental(incremental, range, config);
    } else {
      for (SubtaskState handle : incremental) {
        IncrementalSnapshotReader.exportBlocks(handle, range, config, backend::restoreBlock);
      }
    }
  }
}
