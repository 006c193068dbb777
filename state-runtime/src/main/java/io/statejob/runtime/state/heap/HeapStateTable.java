package io.statejob.runtime.state.heap;

import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.state.StateBlockCodec;
import java.util.ArrayDeque;
import java.util.function.Predicate;

/** One registered state: a {@link KeyGroupMap} per key group of the worker's range. */
final class HeapStateTable {
  final StateMeta meta;
  final StateBlockCodec codec;
  private final KeyGroupMap[] maps;
  private final int firstKeyGroup;
  private final ArrayDeque<Object> cleanupKeys = new ArrayDeque<>();
  private KeyGroupMap cleanupMap;
  private int cleanupCursor;

  HeapStateTable(StateMeta meta, StateBlockCodec codec, KeyGroupRange range) {
    this.meta = meta;
    this.codec = codec;
    this.firstKeyGroup = range.start();
    this.maps = new KeyGroupMap[range.size()];
    for (int i = 0; i < maps.length; i++) {
      maps[i] = new KeyGroupMap();
    }
  }

  /**
   * Visits up to {@code budget} entries after those the last call visited, key group by key group
   * and round again, and removes those {@code removable} accepts. A key group's keys are listed
   * when the visits reach it, so the work is bounded per call on average.
   */
  void cleanUp(int budget, Predicate<Object> removable) {
    int groupsListed = 0;
    while (budget > 0) {
      if (cleanupKeys.isEmpty()) {
        if (groupsListed++ == maps.length) {
          return; // a whole round without an entry: the state is empty
        }
        cleanupMap = maps[cleanupCursor];
        cleanupCursor = (cleanupCursor + 1) % maps.length;
        cleanupMap.forEach((key, value) -> cleanupKeys.add(key));
        continue;
      }
      Object key = cleanupKeys.poll();
      Object value = cleanupMap.get(key);
      if (value != null && removable.test(value)) {
        cleanupMap.remove(key);
      }
      budget--;
    }
  }

  KeyGroupMap map(int keyGroup) {
    return maps[keyGroup - firstKeyGroup];
  }

  KeyGroupMap.Frozen[] pinAll(SnapshotLease lease) {
    KeyGroupMap.Frozen[] pinned = new KeyGroupMap.Frozen[maps.length];
    for (int i = 0; i < maps.length; i++) {
      pinned[i] = maps[i].pin(lease);
    }
    return pinned;
  }
}
