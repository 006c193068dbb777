package io.statejob.runtime.state.rocksdb;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.api.state.AggregatingStateDescriptor;
import io.statejob.runtime.api.state.ReducingStateDescriptor;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.api.state.StateKind;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.serialization.DataInputBuffer;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.snapshot.StreamHandle;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.IncrementalRestoreTarget;
import io.statejob.runtime.state.KeyedBackendParameters;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.state.NamespacedState;
import io.statejob.runtime.state.StateBlockCodec;
import io.statejob.runtime.state.keyed.AbstractKeyedStateBackend;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;
import io.statejob.runtime.state.rocksdb.database.RocksDBFiles;
import io.statejob.runtime.state.rocksdb.database.RocksDBInstance;
import io.statejob.runtime.state.rocksdb.database.RocksDBNativeMetrics;
import io.statejob.runtime.state.rocksdb.database.RocksDBSettings;
import io.statejob.runtime.state.rocksdb.restore.RocksDBFullRestoreOperation;
import io.statejob.runtime.state.rocksdb.restore.RocksDBIncrementalRestoreOperation;
import io.statejob.runtime.state.rocksdb.snapshot.RocksDBSnapshotStrategy;
import io.statejob.runtime.state.ttl.TtlEntries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Keyed state in RocksDB on the worker's local disk: one column family per state; a row key is the
 * key group (2 bytes), the serialized key and namespace, and for map state the map key. Rows of a
 * key group are therefore contiguous, which snapshots, restores and rescaling rely on.
 */
public final class RocksDBKeyedStateBackend<K> extends AbstractKeyedStateBackend<K>
    implements IncrementalRestoreTarget {
  private final RocksDBInstance instance;
  private final RocksDBSnapshotStrategy snapshots;
  private final TypeSerializer<K> keySerializer;

  private boolean keyDirty = true;
  private final DataOutputBuffer keyBuffer = new DataOutputBuffer(64);
  final DataOutputBuffer scratch = new DataOutputBuffer(256);
  final DataOutputBuffer rowKey = new DataOutputBuffer(64);
  final DataInputBuffer input = new DataInputBuffer();

  /** Rows the incremental cleanup visits at once; an access saves up its budget until then. */
  static final int CLEANUP_BATCH = 256;

  private final Map<String, Integer> cleanupBudgets = new HashMap<>();
  private final Map<String, byte[]> cleanupPositions = new HashMap<>();

  /**
   * @param metrics the process's native metrics, which count this backend's database while it is
   *     open
   */
  public RocksDBKeyedStateBackend(
      KeyedBackendParameters<K> parameters, RocksDBSettings settings, RocksDBNativeMetrics metrics)
      throws IOException {
    super(parameters);
    this.keySerializer = parameters.keySerializer();
    this.instance =
        new RocksDBInstance(
            settings,
            parameters.jobId(),
            parameters.subtaskIndex(),
            parameters.classLoader(),
            metrics);
    this.snapshots = new RocksDBSnapshotStrategy(instance, settings.incremental());
  }

  RocksDBInstance instance() {
    return instance;
  }

  // ---- current key ----

  @Override
  public void setCurrentKey(K key, int keyGroup) {
    super.setCurrentKey(key, keyGroup);
    this.keyDirty = true;
  }

  /** The current row key prefix: key group, key and (void) namespace. */
  DataOutputBuffer currentKeyBytes() {
    if (keyDirty) {
      keyBuffer.reset();
      try {
        keyBuffer.writeShort(getCurrentKeyGroup());
        keySerializer.serialize(getCurrentKey(), keyBuffer);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      keyDirty = false;
    }
    return keyBuffer;
  }

  String describeCurrentKey() {
    return String.valueOf(keySerializer.toJsonValue(getCurrentKey()));
  }

  // ---- states ----

  @Override
  protected Optional<StateMeta> restoredMeta(String scopedName) {
    return instance.column(scopedName).map(RocksDBColumn::meta);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  protected NamespacedState createState(
      StateDescriptor descriptor, StateMeta declared, StateBlockCodec codec) {
    RocksDBColumn column = instance.registerColumn(declared, codec);
    return switch (descriptor.kind()) {
      case VALUE -> new RocksDBValueState<>(this, column);
      case LIST -> new RocksDBListState<>(this, column);
      case MAP -> new RocksDBMapState<>(this, column);
      case REDUCING ->
          new RocksDBReducingState<>(
              this, column, ((ReducingStateDescriptor) descriptor).function());
      case AGGREGATING ->
          new RocksDBAggregatingState<>(
              this, column, ((AggregatingStateDescriptor) descriptor).function());
    };
  }

  @Override
  @SuppressWarnings("unchecked")
  public void forEachKey(String scopedName, KeyVisitor<K> visitor) throws Exception {
    Optional<RocksDBColumn> column = instance.column(scopedName);
    if (column.isEmpty()) {
      return;
    }
    // rows of one key are adjacent (key group and key lead the row key)
    record KeyInGroup(Object key, int keyGroup) {}
    List<KeyInGroup> keys = new ArrayList<>();
    try (RocksIterator it =
        instance.db().newIterator(column.get().handle(), instance.resources().readOptions)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] row = it.key();
        int keyGroup = RocksDBFiles.keyGroupOf(row);
        Object key = keySerializer.deserialize(input.reset(row, 2, row.length - 2));
        KeyInGroup last = keys.isEmpty() ? null : keys.get(keys.size() - 1);
        if (last == null || last.keyGroup() != keyGroup || !last.key().equals(key)) {
          keys.add(new KeyInGroup(key, keyGroup));
        }
      }
    }
    for (KeyInGroup k : keys) {
      visitor.accept((K) k.key(), k.keyGroup());
    }
  }

  // ---- incremental cleanup of states with a time to live ----

  @Override
  public void cleanUpExpired(String scopedName, int budget, LongPredicate expired) {
    Optional<RocksDBColumn> column = instance.column(scopedName);
    if (column.isEmpty()) {
      return;
    }
    // an iterator per call costs a seek: visits are saved up and made a batch at a time
    int saved = cleanupBudgets.merge(scopedName, budget, Integer::sum);
    if (saved < CLEANUP_BATCH) {
      return;
    }
    cleanupBudgets.put(scopedName, 0);
    try {
      cleanupPositions.put(
          scopedName, cleanUp(column.get(), cleanupPositions.get(scopedName), saved, expired));
    } catch (RocksDBException | IOException e) {
      throw new IllegalStateException(
          "cannot remove expired entries of state '" + scopedName + "': " + e.getMessage(), e);
    }
  }

  /** Visits {@code rows} rows after {@code after} (round again at the end); the last visited. */
  private byte[] cleanUp(RocksDBColumn column, byte[] after, int rows, LongPredicate expired)
      throws RocksDBException, IOException {
    TypeSerializer<Object> serializer = column.codec().valueSerializer();
    boolean list = column.meta().kind() == StateKind.LIST;
    byte[] last = after;
    try (RocksIterator it =
        instance.db().newIterator(column.handle(), instance.resources().readOptions)) {
      if (after == null) {
        it.seekToFirst();
      } else {
        it.seek(after);
        if (it.isValid() && Arrays.equals(it.key(), after)) {
          it.next();
        }
      }
      boolean wrapped = false;
      for (int visited = 0; visited < rows; visited++) {
        if (!it.isValid()) {
          if (wrapped) {
            break;
          }
          wrapped = true;
          it.seekToFirst();
          if (!it.isValid()) {
            break;
          }
        }
        last = it.key();
        byte[] value = it.value();
        input.reset(value, 0, value.length);
        Object stored =
            list ? RocksDBListState.parse(input, serializer) : serializer.deserialize(input);
        if (TtlEntries.allExpired(stored, expired)) {
          instance.db().delete(column.handle(), instance.resources().writeOptions, last);
        }
        it.next();
      }
    }
    return last;
  }

  // ---- snapshots ----

  @Override
  public KeyedStateSnapshot snapshot(long checkpointId, SnapshotType type) throws IOException {
    instance.db();
    try {
      instance.flushListBounds(); // the snapshot holds the bounds the restored job checks against
    } catch (RocksDBException e) {
      throw new IOException(
          "cannot write the list size bounds before the snapshot: " + e.getMessage(), e);
    }
    return snapshots.take(checkpointId, type, instance.columns());
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    snapshots.notifyCheckpointComplete(checkpointId);
  }

  // ---- restore ----

  @Override
  public void restoreBlock(StateMeta meta, int keyGroup, byte[] block) throws IOException {
    RocksDBFullRestoreOperation.restoreBlock(instance, meta, keyGroup, block);
  }

  @Override
  public void restoreIncremental(
      List<SubtaskState> handles, KeyGroupRange restoreRange, RuntimeConfig config)
      throws IOException {
    RocksDBIncrementalRestoreOperation.restore(
            handles, restoreRange, parameters.maxParallelism(), config, instance)
        .filter(shared -> mayReference(shared, config))
        .ifPresent(snapshots::restoredFrom);
  }

  /**
   * Whether the next incremental checkpoint may reference the restored files instead of uploading
   * them again: when they are the job's own, or when it claims another job's ({@code
   * execution.savepoint-restore-mode: claim}). Otherwise that job's cleanup could delete a file
   * this job's checkpoints need.
   */
  private static boolean mayReference(Map<String, StreamHandle> shared, RuntimeConfig config) {
    if (config.get(RuntimeOptions.RESTORE_MODE).equalsIgnoreCase("claim")) {
      return true;
    }
    String ownDirectory = "/" + config.get(RuntimeOptions.JOB_ID) + "/shared/";
    return shared.values().stream().allMatch(file -> file.path().contains(ownDirectory));
  }

  @Override
  public void close() {
    snapshots.releaseAll();
    super.close();
    instance.close();
  }
}
