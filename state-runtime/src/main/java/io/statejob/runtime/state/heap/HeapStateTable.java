package io.statejob.runtime.state.heap;

import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.state.StateBlockCodec;

/** One registered state: a {@link KeyGroupMap} per key group of the worker's range. */
final class HeapStateTable {
  final StateMeta meta;
  final StateBlockCodec codec;
  private final KeyGroupMap[] maps;
  private final int firstKeyGroup;

  HeapStateTable(StateMeta meta, StateBlockCodec codec, KeyGroupRange range) {
    this.meta = meta;
    this.codec = codec;
    this.firstKeyGroup = range.start();
    this.maps = new KeyGroupMap[range.size()];
    for (int i = 0; i < maps.length; i++) {
      maps[i] = new KeyGroupMap();
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
