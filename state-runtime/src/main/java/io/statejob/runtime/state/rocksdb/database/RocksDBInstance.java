package io.statejob.runtime.state.rocksdb.database;

import io.statejob.runtime.api.state.StateKind;
import io.statejob.runtime.serialization.DataInputBuffer;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.state.StateBlockCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One worker's RocksDB database in its own directory: the native options, the column family of each
 * state (and of each list state's size bounds), and row access with reused buffers. Opened on first
 * use, or from restored files; closing it deletes the directory, as state always comes from
 * checkpoints.
 */
public final class RocksDBInstance implements AutoCloseable {
  public static final String DEFAULT_COLUMN =
      new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8);

  private final RocksDBSettings settings;
  private final RocksDBNativeMetrics metrics;
  private final RocksDBResources resources;
  private final Path directory;
  private final ClassLoader classLoader;
  private final Map<String, ColumnFamilyHandle> handles = new LinkedHashMap<>();
  private final Map<String, RocksDBColumn> columns = new LinkedHashMap<>();
  private final DataInputBuffer input = new DataInputBuffer();
  private byte[] valueBuffer = new byte[256];
  private RocksDB db;

  /**
   * @param classLoader loads user classes named in restored state
   */
  public RocksDBInstance(
      RocksDBSettings settings,
      String jobId,
      int subtaskIndex,
      ClassLoader classLoader,
      RocksDBNativeMetrics metrics)
      throws IOException {
    this.settings = settings;
    this.metrics = metrics;
    this.classLoader = classLoader;
    this.directory =
        jobDir(settings, jobId)
            .resolve(
                "subtask-" + subtaskIndex + "-" + UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectories(directory.getParent());
    this.resources = new RocksDBResources(settings);
    metrics.opened(this);
  }

  /** Where the databases of job {@code jobId} live on this machine. */
  public static Path jobDir(RocksDBSettings settings, String jobId) {
    return settings.localDir().resolve(jobId.replaceAll("[^A-Za-z0-9._-]", "_"));
  }

  public RocksDBSettings settings() {
    return settings;
  }

  public RocksDBResources resources() {
    return resources;
  }

  /** The database's directory; snapshots and imports go beside it. */
  public Path directory() {
    return directory;
  }

  public boolean isOpen() {
    return db != null;
  }

  /** The database, opened empty on first use. */
  public RocksDB db() {
    if (db == null) {
      try {
        List<ColumnFamilyHandle> opened = new ArrayList<>();
        db =
            RocksDB.open(
                resources.dbOptions,
                directory.toString(),
                List.of(
                    new ColumnFamilyDescriptor(
                        RocksDB.DEFAULT_COLUMN_FAMILY, resources.columnOptions)),
                opened);
        handles.put(DEFAULT_COLUMN, opened.get(0));
      } catch (RocksDBException e) {
        throw new IllegalStateException(
            "cannot open RocksDB in " + directory + ": " + e.getMessage(), e);
      }
    }
    return db;
  }

  /**
   * Opens the files restored into {@link #directory()} with all their column families, and the
   * columns of {@code states}.
   */
  public void openRestored(List<StateMeta> states) throws IOException {
    try {
      List<ColumnFamilyHandle> opened = new ArrayList<>();
      List<byte[]> names = RocksDBFiles.columnFamilies(directory);
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (byte[] name : names) {
        descriptors.add(new ColumnFamilyDescriptor(name, resources.columnOptions));
      }
      db = RocksDB.open(resources.dbOptions, directory.toString(), descriptors, opened);
      for (int i = 0; i < names.size(); i++) {
        handles.put(new String(names.get(i), StandardCharsets.UTF_8), opened.get(i));
      }
    } catch (RocksDBException e) {
      throw new IOException(
          "cannot open restored RocksDB in " + directory + ": " + e.getMessage(), e);
    }
    for (StateMeta meta : states) {
      restoredColumn(meta);
    }
  }

  /**
   * A native property of the database (see {@link RocksDBNativeMetrics}); 0 before it opens and
   * once it closed. Synchronized with {@link #close}: a read of a closed database's native memory
   * would crash the process.
   *
   * @param perColumn summed over all column families
   */
  synchronized long property(String name, boolean perColumn) {
    if (db == null) {
      return 0;
    }
    try {
      return perColumn ? db.getAggregatedLongProperty(name) : db.getLongProperty(name);
    } catch (RocksDBException e) {
      return 0;
    }
  }

  /** Every column family handle, the default one included. */
  public List<ColumnFamilyHandle> allHandles() {
    return List.copyOf(handles.values());
  }

  // ---- the columns of states ----

  /** The column of state {@code name}, registered or restored, if there is one. */
  public Optional<RocksDBColumn> column(String name) {
    return Optional.ofNullable(columns.get(name));
  }

  /**
   * Writes the list size bounds changed since the last time to their column families: before a
   * snapshot.
   */
  public void flushListBounds() throws RocksDBException {
    for (RocksDBColumn column : columns.values()) {
      if (column.listGuard() != null) {
        column.listGuard().flush();
      }
    }
  }

  /** The columns of all states, in the order they were created or restored. */
  public List<RocksDBColumn> columns() {
    return List.copyOf(columns.values());
  }

  /**
   * The column of state {@code declared} as the job declares it: the restored one read with the
   * declared codec, or a new one.
   */
  public RocksDBColumn registerColumn(StateMeta declared, StateBlockCodec codec) {
    RocksDBColumn restored = columns.get(declared.name());
    RocksDBColumn column =
        restored != null ? restored.withCodec(declared, codec) : createColumn(declared, codec);
    columns.put(declared.name(), column);
    return column;
  }

  /** The column restored state {@code meta} goes into, created on first use. */
  public RocksDBColumn restoredColumn(StateMeta meta) {
    return columns.computeIfAbsent(
        meta.name(), name -> createColumn(meta, StateBlockCodec.forMeta(meta, classLoader)));
  }

  /**
   * The column family rows named {@code name} in another database are copied into: a state's, or a
   * list's size bounds; the state's column is registered as restored from {@code states}.
   */
  public ColumnFamilyHandle columnForCopy(String name, List<StateMeta> states) {
    String stateName =
        name.startsWith(RocksDBColumn.BOUNDS_PREFIX)
            ? name.substring(RocksDBColumn.BOUNDS_PREFIX.length())
            : name;
    states.stream()
        .filter(m -> m.name().equals(stateName))
        .findFirst()
        .ifPresent(this::restoredColumn);
    return handle(name);
  }

  private RocksDBColumn createColumn(StateMeta meta, StateBlockCodec codec) {
    ColumnFamilyHandle handle = handle(meta.name());
    ColumnFamilyHandle bounds =
        meta.kind() == StateKind.LIST ? handle(RocksDBColumn.BOUNDS_PREFIX + meta.name()) : null;
    return new RocksDBColumn(
        meta,
        codec,
        handle,
        bounds,
        bounds == null ? null : new ListSizeGuard(this, handle, bounds));
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

  // ---- rows ----

  /** Reads the row {@code key[0..length)}; returns its length, or -1 when absent. */
  public int get(ColumnFamilyHandle column, byte[] key, int length) throws RocksDBException {
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
  public DataInputBuffer lastValue(int length) {
    return input.reset(valueBuffer, 0, length);
  }

  public void put(ColumnFamilyHandle column, DataOutputBuffer key, DataOutputBuffer value)
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

  public void merge(ColumnFamilyHandle column, DataOutputBuffer key, DataOutputBuffer value)
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

  /** Writes the batch's rows and empties it. */
  public void write(WriteBatch batch) throws RocksDBException {
    db.write(resources.writeOptions, batch);
    batch.clear();
  }

  public void delete(ColumnFamilyHandle column, DataOutputBuffer key) throws RocksDBException {
    db.delete(column, resources.writeOptions, key.array(), 0, key.length());
  }

  /** Closes the native handles in order and deletes the directory. */
  @Override
  public synchronized void close() {
    metrics.closed(this);
    for (ColumnFamilyHandle handle : handles.values()) {
      handle.close();
    }
    handles.clear();
    columns.clear();
    if (db != null) {
      db.close();
      db = null;
    }
    resources.close();
    RocksDBFiles.deleteQuietly(directory);
  }
}
