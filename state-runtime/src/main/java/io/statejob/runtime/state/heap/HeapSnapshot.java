package io.statejob.runtime.state.heap;

import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.VoidNamespace;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.state.StateBlockCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Frozen heap state: pinned maps of registered states and raw blocks of unclaimed ones. */
final class HeapSnapshot implements KeyedStateSnapshot {
  private final List<StateMeta> states;
  private final List<StateBlockCodec> codecs;
  private final List<KeyGroupMap.Frozen[]> pinned;
  private final Map<Integer, Map<Integer, byte[]>> rawBlocks;
  private final KeyGroupRange range;
  private final SnapshotLease lease;

  /**
   * @param states metadata of every state, registered first, then unclaimed restored ones
   * @param codecs codecs of the registered states (same order, fewer entries)
   * @param pinned pinned maps per registered state, indexed by key group offset in the range
   * @param rawBlocks unclaimed states: state index → key group → block
   */
  HeapSnapshot(
      List<StateMeta> states,
      List<StateBlockCodec> codecs,
      List<KeyGroupMap.Frozen[]> pinned,
      Map<Integer, Map<Integer, byte[]>> rawBlocks,
      KeyGroupRange range,
      SnapshotLease lease) {
    this.lease = lease;
    this.states = states;
    this.codecs = codecs;
    this.pinned = pinned;
    this.rawBlocks = rawBlocks;
    this.range = range;
  }

  @Override
  public List<StateMeta> states() {
    return states;
  }

  @Override
  public boolean writeBlock(int stateIndex, int keyGroup, DataOutputBuffer out) throws IOException {
    if (stateIndex >= codecs.size()) {
      byte[] raw = rawBlocks.getOrDefault(stateIndex, Map.of()).get(keyGroup);
      if (raw == null) {
        return false;
      }
      out.write(raw);
      return true;
    }
    KeyGroupMap.Frozen entries = pinned.get(stateIndex)[keyGroup - range.start()];
    int size = entries.size();
    if (size == 0) {
      return false;
    }
    StateBlockCodec codec = codecs.get(stateIndex);
    codec.writeCount(out, size);
    try {
      entries.forEach(
          (key, value) -> {
            try {
              if (key instanceof NamespacedKey nk) {
                codec.writeEntry(out, nk.key(), nk.namespace(), value);
              } else {
                codec.writeEntry(out, key, VoidNamespace.INSTANCE, value);
              }
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return true;
  }

  @Override
  public void release() {
    lease.release();
  }
}
