package io.statejob.runtime.state.heap;

import java.util.HashMap;

/**
 * The entries of one state in one key group, with copy-on-write against snapshots. A snapshot pins
 * the current map; the first write while the snapshot is still being written copies the map
 * (shallowly) and bumps the epoch, so mutable values created before the copy are copied too before
 * they change (see {@link CowBox}). A write after the snapshot is released copies nothing.
 */
final class KeyGroupMap {
  private HashMap<Object, Object> entries = new HashMap<>();
  private SnapshotLease pinnedBy;
  private int epoch;

  /** For reads on the task thread. */
  HashMap<Object, Object> read() {
    return entries;
  }

  /** For writes on the task thread: never a map a running snapshot reads. */
  HashMap<Object, Object> write() {
    if (pinnedBy != null) {
      if (!pinnedBy.isReleased()) {
        entries = new HashMap<>(entries);
        epoch++;
      }
      pinnedBy = null;
    }
    return entries;
  }

  /** The epoch a mutable value must carry to be written in place. */
  int epoch() {
    return epoch;
  }

  /** Freezes the current map while {@code lease} is held and returns it. */
  HashMap<Object, Object> pin(SnapshotLease lease) {
    pinnedBy = lease;
    return entries;
  }
}
