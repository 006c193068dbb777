package io.statejob.runtime.checkpoint;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.snapshot.SourcePosition;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.KeyedStateBackend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Restores one worker's keyed state, at any parallelism: the key groups of its range, from
 * whichever workers of the checkpoint held them.
 */
public final class KeyedStateRestore {
  private KeyedStateRestore() {}

  /**
   * Fills {@code backend} from {@code handles}.
   *
   * @return per key group of {@code range}, the source position to resume from
   */
  public static SourcePosition[] restore(
      List<SubtaskState> handles,
      KeyGroupRange range,
      KeyedStateBackend<?> backend,
      RuntimeConfig config)
      throws IOException {
    SourcePosition[] positions = new SourcePosition[range.size()];
    java.util.Arrays.fill(positions, SourcePosition.START);
    List<SubtaskState> incremental = new ArrayList<>();
    for (SubtaskState handle : handles) {
      if (handle.keyGroupRange().intersect(range).size() == 0) {
        continue;
      }
      SubtaskSnapshotFormat.readKeyGroups(
          handle,
          range,
          config,
          new SubtaskSnapshotFormat.KeyGroupVisitor() {
            @Override
            public void sourcePosition(int keyGroup, SourcePosition position) {
              positions[keyGroup - range.start()] = position;
            }

            @Override
            public void block(StateMeta state, int keyGroup, byte[] block) throws IOException {
              backend.restoreBlock(state, keyGroup, block);
            }
          });
      if (handle.incremental().isPresent()) {
        incremental.add(handle);
      }
    }
    if (!incremental.isEmpty()) {
      backend.restoreIncremental(incremental, range, config);
    }
    return positions;
  }
}
