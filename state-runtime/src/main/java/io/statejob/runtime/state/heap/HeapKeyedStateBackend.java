package io.statejob.runtime.state.heap;

import io.statejob.runtime.api.state.AggregatingStateDescriptor;
import io.statejob.runtime.api.state.ReducingStateDescriptor;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.serialization.VoidNamespace;
import io.statejob.runtime.snapshot.IncompatibleStateException;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.state.KeyedBackendParameters;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.state.NamespacedState;
import io.statejob.runtime.state.StateBlockCodec;
import io.statejob.runtime.state.keyed.AbstractKeyedStateBackend;
import io.statejob.runtime.state.ttl.TtlEntries;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * Keyed state as Java objects in hash maps, one map per state and key group. Snapshots are
 * copy-on-write (see {@link KeyGroupMap}), so the pipeline pauses only to pin maps. Restored state
 * that the job does not (yet) register is kept as raw blocks and written back unchanged.
 */
public final class HeapKeyedStateBackend<K> extends AbstractKeyedStateBackend<K> {
  private final Map<String, HeapStateTable> tables = new LinkedHashMap<>();

  /** Restored blocks of states not registered yet: name → (meta, key group → block). */
  private final Map<String, RestoredState> restored = new TreeMap<>();

  private record RestoredState(StateMeta meta, Map<Integer, byte[]> blocks) {}

  public HeapKeyedStateBackend(KeyedBackendParameters<K> parameters) {
    super(parameters);
  }

  @Override
  protected Optional<StateMeta> restoredMeta(String scopedName) {
    return Optional.ofNullable(restored.get(scopedName)).map(RestoredState::meta);
  }

  @Override
  protected NamespacedState createState(
      StateDescriptor descriptor, StateMeta declared, StateBlockCodec codec) {
    HeapStateTable table = new HeapStateTable(declared, codec, range);
    RestoredState restoredState = restored.remove(declared.name());
    if (restoredState != null) {
      fill(table, restoredState.blocks());
    }
    tables.put(declared.name(), table);
    return newState(descriptor, table);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void forEachKey(String scopedName, KeyVisitor<K> visitor) throws Exception {
    HeapStateTable table = tables.get(scopedName);
    if (table == null) {
      return;
    }
    for (int keyGroup = range.start(); keyGroup <= range.end(); keyGroup++) {
      Set<Object> keys = new LinkedHashSet<>();
      table
          .map(keyGroup)
          .forEach(
              (mapKey, value) ->
                  keys.add(mapKey instanceof NamespacedKey namespaced ? namespaced.key() : mapKey));
      for (Object key : keys) {
        visitor.accept((K) key, keyGroup);
      }
    }
  }

  @Override
  public void cleanUpExpired(String scopedName, int budget, LongPredicate expired) {
    HeapStateTable table = tables.get(scopedName);
    if (table != null) {
      table.cleanUp(budget, value -> TtlEntries.allExpired(value, expired));
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private NamespacedState newState(StateDescriptor descriptor, HeapStateTable table) {
    return switch (descriptor.kind()) {
      case VALUE -> new HeapValueState<>(this, table);
      case LIST -> new HeapListState<>(this, table);
      case MAP -> new HeapMapState<>(this, table);
      case REDUCING ->
          new HeapReducingState<>(this, table, ((ReducingStateDescriptor) descriptor).function());
      case AGGREGATING -> {
        AggregatingStateDescriptor d = (AggregatingStateDescriptor) descriptor;
        yield new HeapAggregatingState<>(this, table, d.function(), d.valueSerializer());
      }
    };
  }

  private void fill(HeapStateTable table, Map<Integer, byte[]> blocks) {
    boolean mutableValues = isMutable(table.meta);
    for (Map.Entry<Integer, byte[]> block : blocks.entrySet()) {
      KeyGroupMap map = table.map(block.getKey());
      try {
        table.codec.readBlock(
            new DataInputStream(new ByteArrayInputStream(block.getValue())),
            (key, namespace, value) -> {
              Object mapKey =
                  namespace == VoidNamespace.INSTANCE ? key : new NamespacedKey(key, namespace);
              if (mutableValues) {
                map.putMutable(mapKey, value);
              } else {
                map.put(mapKey, value);
              }
            });
      } catch (IOException e) {
        throw new IncompatibleStateException(
            "cannot read restored state '" + table.meta.name() + "': " + e.getMessage(), e);
      }
    }
  }

  /**
   * Lists, maps and accumulators are changed in place, so they are stored with an epoch ({@link
   * KeyGroupMap#putMutable}).
   */
  private static boolean isMutable(StateMeta meta) {
    return switch (meta.kind()) {
      case LIST, MAP, AGGREGATING -> true;
      case VALUE, REDUCING -> false;
    };
  }

  @Override
  public void restoreBlock(StateMeta meta, int keyGroup, byte[] block) {
    if (!range.contains(keyGroup)) {
      throw new IllegalArgumentException("key group " + keyGroup + " is not in " + range);
    }
    restored
        .computeIfAbsent(meta.name(), name -> new RestoredState(meta, new TreeMap<>()))
        .blocks()
        .put(keyGroup, block);
  }

  @Override
  public KeyedStateSnapshot snapshot(long checkpointId, SnapshotType type) {
    SnapshotLease lease = new SnapshotLease();
    List<StateMeta> metas = new ArrayList<>();
    List<StateBlockCodec> codecs = new ArrayList<>();
    List<KeyGroupMap.Frozen[]> pinned = new ArrayList<>();
    for (HeapStateTable table : tables.values()) {
      metas.add(table.meta);
      codecs.add(table.codec);
      pinned.add(table.pinAll(lease));
    }
    Map<Integer, Map<Integer, byte[]>> raw = new HashMap<>();
    for (RestoredState unclaimed : restored.values()) {
      raw.put(metas.size(), unclaimed.blocks());
      metas.add(unclaimed.meta());
    }
    return new HeapSnapshot(List.copyOf(metas), codecs, pinned, raw, range, lease);
  }

  @Override
  public void close() {
    super.close();
    tables.clear();
    restored.clear();
  }
}
