package io.statejob.runtime.state.rocksdb;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.api.state.AggregatingStateDescriptor;
import io.statejob.runtime.api.state.ReducingStateDescriptor;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.api.state.StateKind;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.serialization.DataInputBuffer;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.snapshot.IncrementalHandle;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.snapshot.StreamHandle;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.KeyedBackendParameters;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.state.NamespacedState;
import io.statejob.runtime.state.StateBlockCodec;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Keyed state in RocksDB on the worker's local disk: one column family per state; a row key is the
 * key group (2 bytes), the serialized key and namespace, and for map state the map key. Rows of a
 * key group are therefore contiguous, which snapshots, restores and rescaling rely on.
 */
public final class RocksDBKeyedStateBackend<K> implements KeyedStateBackend<K> {
  static final String DEFAULT_COLUMN =
      new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8);
  private final KeyedBackendParameters<K> parameters;
  private final RocksDBSettings settings;
  private final RocksDBResources resources;
  private final KeyGroupRange range;
  private final TypeSerializer<K> keySerializer;
  private final Path instanceDir;

  private RocksDB db;
  private final Map<String, ColumnFamilyHandle> handles = new LinkedHashMap<>();
  private final Map<String, RocksDBColumn> columns = new LinkedHashMap<>();
  private final Map<String, NamespacedState> states = new HashMap<>();
  private final Set<KeyedStateSnapshot> openSnapshots = ConcurrentHashMap.newKeySet();

  private K currentKey;
  private int currentKeyGroup;
  private boolean keyDirty = true;
  private final DataOutputBuffer keyBuffer = new DataOutputBuffer(64);
  final DataOutputBuffer scratch = new DataOutputBuffer(256);
  final DataOutputBuffer rowKey = new DataOutputBuffer(64);
  final DataInputBuffer input = new DataInputBuffer();
  private byte[] valueBuffer = new byte[256];

  /** SST files of the last completed checkpoint, which the next incremental one may reference. */
  private volatile Map<String, StreamHandle> lastCompletedShared = Map.of();

  private final Map<Long, Map<String, StreamHandle>> uploadedShared = new ConcurrentHashMap<>();

  public RocksDBKeyedStateBackend(KeyedBackendParameters<K> parameters, RocksDBSettings settings)
      throws IOException {
    this.parameters = parameters;
    this.settings = settings;
    this.range = parameters.keyGroupRange();
    this.keySerializer = parameters.keySerializer();
    this.instanceDir =
        jobDir(settings, parameters.jobId())
            .resolve(
                "subtask-"
                    + parameters.subtaskIndex()
                    + "-"
                    + UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectories(instanceDir.getParent());
    this.resources = new RocksDBResources(settings);
  }

  /** Where the databases of job {@code jobId} live on this machine. */
  static Path jobDir(RocksDBSettings settings, String jobId) {
    return settings.localDir().resolve(jobId.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  RocksDB db() {
    if (db == null) {
      try {
        List<ColumnFamilyHandle> opened = new ArrayList<>();
        db =
            RocksDB.open(
                resources.dbOptions,
                instanceDir.toString(),
                List.of(
                    new ColumnFamilyDescriptor(
                        RocksDB.DEFAULT_COLUMN_FAMILY, resources.columnOptions)),
                opened);
        handles.put(DEFAULT_COLUMN, opened.get(0));
      } catch (RocksDBException e) {
        throw new IllegalStateException(
            "cannot open RocksDB in " + instanceDir + ": " + e.getMessage(), e);
      }
    }
    return db;
  }

  RocksDBResources resources() {
    return resources;
  }

  RocksDBSettings settings() {
    return settings;
  }

  Path instanceDir() {
    return instanceDir;
  }

  List<ColumnFamilyHandle> allHandles() {
    return List.copyOf(handles.values());
  }

  // ---- current key ----

  @Override
  public void setCurrentKey(K key, int keyGroup) {
    this.currentKey = key;
    this.currentKeyGroup = keyGroup;
    this.keyDirty = true;
  }

  @Override
  public K getCurrentKey() {
    return currentKey;
  }

  @Override
  public int getCurrentKeyGroup() {
    return currentKeyGroup;
  }

  /** The current row key prefix: key group, key and (void) namespace. */
  DataOutputBuffer currentKeyBytes() {
    if (keyDirty) {
      keyBuffer.reset();
      try {
        keyBuffer.writeShort(currentKeyGroup);
        keySerializer.serialize(currentKey, keyBuffer);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      keyDirty = false;
    }
    return keyBuffer;
  }

  String describeCurrentKey() {
    return String.valueOf(keySerializer.toJsonValue(currentKey));
  }

  // ---- row access for the state classes ----

  /** Reads the row {@code key[0..length)}; returns its length, or -1 when absent. */
  int get(ColumnFamilyHandle column, byte[] key, int length) throws RocksDBException {
    int size =
        db.get(column, resources.readOptions, key, 0, length, valueBuffer, 0, valueBuffer.length);
    if (size > valueBuffer.length) {
      valueBuffer = new byte[size];
      size =
          db.get(column, resources.readOptions, key, 0, length, valueBuffer, 0, valueBuffer.length);
    }
    return size;
  }

  /** The bytes of the row last read by {@link #get}. */
  DataInputBuffer lastValue(int length) {
    return input.reset(valueBuffer, 0, length);
  }

  void put(ColumnFamilyHandle column, DataOutputBuffer key, DataOutputBuffer value)
      throws RocksDBException {
    db.put(
        column,
        resources.writeOptions,
        key.array(),
        0,
        key.length(),
        value.array(),
        0,
        value.length());
  }

  void merge(ColumnFamilyHandle column, DataOutputBuffer key, DataOutputBuffer value)
      throws RocksDBException {
    db.merge(
        column,
        resources.writeOptions,
        key.array(),
        0,
        key.length(),
        value.array(),
        0,
        value.length());
  }

  void delete(ColumnFamilyHandle column, DataOutputBuffer key) throws RocksDBException {
    db.delete(column, resources.writeOptions, key.array(), 0, key.length());
  }

  // ---- states ----

  @Override
  public NamespacedState getOrCreateState(
      String scopedName, StateDescriptor descriptor, TypeSerializer<?> namespaceSerializer) {
    NamespacedState existing = states.get(scopedName);
    if (existing != null) {
      return existing;
    }
    StateMeta declared =
        StateMeta.of(scopedName, descriptor, keySerializer.id(), namespaceSerializer.id());
    StateBlockCodec codec =
        StateBlockCodec.forDescriptor(descriptor, keySerializer, namespaceSerializer);
    RocksDBColumn restored = columns.get(scopedName);
    if (restored != null) {
      restored
          .meta
          .incompatibilityWith(declared)
          .ifPresent(
              problem -> {
                throw new IllegalStateException(problem);
              });
    }
    RocksDBColumn column =
        restored != null ? restored.withCodec(declared, codec) : createColumn(declared, codec);
    columns.put(scopedName, column);
    NamespacedState state = newState(descriptor, column);
    states.put(scopedName, state);
    return state;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void forEachKey(String scopedName, KeyVisitor<K> visitor) throws Exception {
    RocksDBColumn column = columns.get(scopedName);
    if (column == null) {
      return;
    }
    // rows of one key are adjacent (key group and key lead the row key)
    record KeyInGroup(Object key, int keyGroup) {}
    List<KeyInGroup> keys = new ArrayList<>();
    try (RocksIterator it = db().newIterator(column.handle, resources.readOptions)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] row = it.key();
        int keyGroup = ((row[0] & 0xff) << 8) | (row[1] & 0xff);
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

  @SuppressWarnings({"unchecked", "rawtypes"})
  private NamespacedState newState(StateDescriptor descriptor, RocksDBColumn column) {
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

  private RocksDBColumn createColumn(StateMeta meta, StateBlockCodec codec) {
    ColumnFamilyHandle handle = handle(meta.name());
    ColumnFamilyHandle sizes =
        meta.kind() == StateKind.LIST ? handle(RocksDBColumn.SIZE_PREFIX + meta.name()) : null;
    return new RocksDBColumn(meta, codec, handle, sizes);
  }

  /** The column family named {@code name}, created when missing. */
  private ColumnFamilyHandle handle(String name) {
    ColumnFamilyHandle existing = handles.get(name);
    if (existing != null) {
      return existing;
    }
    try {
      ColumnFamilyHandle created =
          db().createColumnFamily(
                  new ColumnFamilyDescriptor(
                      name.getBytes(StandardCharsets.UTF_8), resources.columnOptions));
      handles.put(name, created);
      return created;
    } catch (RocksDBException e) {
      throw new IllegalStateException(
          "cannot create column family " + name + ": " + e.getMessage(), e);
    }
  }

  // ---- snapshots ----

  @Override
  public KeyedStateSnapshot snapshot(long checkpointId, SnapshotType type) throws IOException {
    db();
    List<RocksDBColumn> snapshotColumns = List.copyOf(columns.values());
    // a savepoint is always full: it must not share files, and it leaves the incremental base alone
    KeyedStateSnapshot snapshot =
        settings.incremental() && !type.isSavepoint()
            ? RocksDBIncrementalSnapshot.take(
                this, checkpointId, snapshotColumns, lastCompletedShared, this::snapshotReleased)
            : RocksDBFullSnapshot.take(db, snapshotColumns, this::snapshotReleased);
    openSnapshots.add(snapshot);
    return snapshot;
  }

  private void snapshotReleased(KeyedStateSnapshot snapshot) {
    openSnapshots.remove(snapshot);
  }

  void sharedFilesUploaded(long checkpointId, Map<String, StreamHandle> shared) {
    uploadedShared.put(checkpointId, shared);
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    Map<String, StreamHandle> shared = uploadedShared.remove(checkpointId);
    if (shared != null) {
      lastCompletedShared = shared;
    }
    uploadedShared.keySet().removeIf(id -> id < checkpointId);
  }

  // ---- restore ----

  @Override
  public void restoreBlock(StateMeta meta, int keyGroup, byte[] block) throws IOException {
    RocksDBColumn column = restoredColumn(meta);
    RocksDBRowWriter writer = new RocksDBRowWriter(this, column);
    column.codec.readBlock(
        new DataInputStream(new ByteArrayInputStream(block)),
        (key, namespace, value) -> writer.write(keyGroup, key, namespace, value));
  }

  private RocksDBColumn restoredColumn(StateMeta meta) {
    return columns.computeIfAbsent(
        meta.name(),
        name -> createColumn(meta, StateBlockCodec.forMeta(meta, parameters.classLoader())));
  }

  /**
   * Opens the files of the handle that overlaps this worker's range most as its database, clips it
   * to the range, and copies the range's rows of the other handles in.
   */
  @Override
  public void restoreIncremental(
      List<SubtaskState> restoreHandles, KeyGroupRange restoreRange, RuntimeConfig config)
      throws IOException {
    List<SubtaskState> toCopy = new ArrayList<>(restoreHandles);
    if (db == null) {
      SubtaskState base =
          toCopy.stream()
              .max(Comparator.comparingInt(h -> h.keyGroupRange().intersect(range).size()))
              .orElseThrow();
      toCopy.remove(base);
      IncrementalHandle baseFiles = base.incremental().orElseThrow();
      RocksDBFiles.download(baseFiles, instanceDir, config);
      openExisting(base.keyedStates());
      RocksDBFiles.clip(db, allHandles(), range, parameters.maxParallelism());
      lastCompletedShared = baseFiles.sharedFiles();
    }
    for (SubtaskState handle : toCopy) {
      RocksDBFiles.copyRange(handle, range, config, this);
    }
  }

  private void openExisting(List<StateMeta> metas) throws IOException {
    try {
      List<ColumnFamilyHandle> opened = new ArrayList<>();
      List<byte[]> names = RocksDBFiles.columnFamilies(instanceDir);
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (byte[] name : names) {
        descriptors.add(new ColumnFamilyDescriptor(name, resources.columnOptions));
      }
      db = RocksDB.open(resources.dbOptions, instanceDir.toString(), descriptors, opened);
      for (int i = 0; i < names.size(); i++) {
        String name = new String(names.get(i), StandardCharsets.UTF_8);
        handles.put(name, opened.get(i));
      }
    } catch (RocksDBException e) {
      throw new IOException(
          "cannot open restored RocksDB in " + instanceDir + ": " + e.getMessage(), e);
    }
    for (StateMeta meta : metas) {
      restoredColumn(meta);
    }
  }

  /** The column family for copying rows named {@code name} in: a state's, or a list's sizes. */
  ColumnFamilyHandle columnForCopy(String name, List<StateMeta> metas) {
    String stateName =
        name.startsWith(RocksDBColumn.SIZE_PREFIX)
            ? name.substring(RocksDBColumn.SIZE_PREFIX.length())
            : name;
    metas.stream()
        .filter(m -> m.name().equals(stateName))
        .findFirst()
        .ifPresent(this::restoredColumn);
    return handle(name);
  }

  @Override
  public void close() {
    for (KeyedStateSnapshot snapshot : List.copyOf(openSnapshots)) {
      snapshot.release();
    }
    for (ColumnFamilyHandle handle : handles.values()) {
      handle.close();
    }
    handles.clear();
    if (db != null) {
      db.close();
      db = null;
    }
    resources.close();
    RocksDBFiles.deleteQuietly(instanceDir);
  }
}
