package io.statejob.runtime.state;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.snapshot.SubtaskState;
import java.io.IOException;
import java.util.List;

/**
 * A keyed backend that restores incremental RocksDB snapshots from their files. Other backends take
 * the entries of such snapshots as blocks, like those of any other snapshot.
 */
public interface IncrementalRestoreTarget {
  /** Restores the key groups of {@code range} from the files of {@code handles}. */
  void restoreIncremental(List<SubtaskState> handles, KeyGroupRange range, RuntimeConfig config)
      throws IOException;
}
