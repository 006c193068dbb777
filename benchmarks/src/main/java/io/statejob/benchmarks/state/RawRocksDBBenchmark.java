package io.statejob.benchmarks.state;

import io.statejob.benchmarks.workload.StateWorkload;
import io.statejob.runtime.keygroup.KeyGroups;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.state.rocksdb.database.RocksDBFiles;
import io.statejob.runtime.state.rocksdb.database.RocksDBResources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The ceiling of StateJob's RocksDB operations: the same gets, puts and merges of the same row
 * bytes (key group, key, map key; 8-byte values), straight through {@code rocksdbjni} with the
 * options StateJob opens its databases with, and no state API. Method names match the state
 * benchmarks' so each pairs with its StateJob figure.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class RawRocksDBBenchmark {

  /** One column family of rows filled for the setup keys, as the matching state benchmark does. */
  public abstract static class Rows {
    final StateWorkload workload = new StateWorkload();
    private final KeyGroups.Assigner<Long> assigner =
        new KeyGroups.Assigner<>(Serializers.LONG, BenchmarkBackend.MAX_PARALLELISM);
    private final DataOutputBuffer key = new DataOutputBuffer(32);
    private final DataOutputBuffer value = new DataOutputBuffer(16);
    private final byte[] read = new byte[256];
    private Path directory;
    private RocksDBResources resources;
    private RocksDB db;
    private ColumnFamilyHandle column;

    @Setup(Level.Trial)
    public void open() throws Exception {
      directory = Files.createTempDirectory("raw-rocksdb-bench");
      resources = new RocksDBResources(BenchmarkBackend.rocksDBSettings(directory));
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      db =
          RocksDB.open(
              resources.dbOptions,
              directory.toString(),
              List.of(
                  new ColumnFamilyDescriptor(
                      RocksDB.DEFAULT_COLUMN_FAMILY, resources.columnOptions)),
              handles);
      handles.forEach(ColumnFamilyHandle::close);
      column =
          db.createColumnFamily(
              new ColumnFamilyDescriptor("rows".getBytes(), resources.columnOptions));
      fill();
    }

    /** Writes the rows of the setup keys. */
    abstract void fill() throws Exception;

    @TearDown(Level.Trial)
    public void close() throws IOException {
      column.close();
      db.close();
      resources.close();
      RocksDBFiles.deleteQuietly(directory);
    }

    /** The row key of {@code key} as StateJob lays it out: key group, then the key. */
    DataOutputBuffer rowKey(long key) throws IOException {
      this.key.reset();
      this.key.writeShort(assigner.keyGroupOf(key));
      Serializers.LONG.serialize(key, this.key);
      return this.key;
    }

    /** The row key of a map entry: the key's row key, then the map key. */
    DataOutputBuffer rowKey(long key, long mapKey) throws IOException {
      Serializers.LONG.serialize(mapKey, rowKey(key));
      return this.key;
    }

    DataOutputBuffer value(long value) throws IOException {
      this.value.reset();
      Serializers.LONG.serialize(value, this.value);
      return this.value;
    }

    int get(DataOutputBuffer key) throws RocksDBException {
      return db.get(
          column, resources.readOptions, key.array(), 0, key.length(), read, 0, read.length);
    }

    void put(DataOutputBuffer key, DataOutputBuffer value) throws RocksDBException {
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

    void merge(DataOutputBuffer key, DataOutputBuffer value) throws RocksDBException {
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
  }

  /** A value row per setup key. */
  @State(Scope.Thread)
  public static class ValueRows extends Rows {
    @Override
    void fill() throws Exception {
      for (long key = 0; key < StateWorkload.SETUP_KEYS; key++) {
        put(rowKey(key), value(workload.randomValue()));
      }
    }
  }

  /** A list row of one element per setup key. */
  @State(Scope.Thread)
  public static class ListRows extends Rows {
    @Override
    void fill() throws Exception {
      for (long key = 0; key < StateWorkload.SETUP_KEYS; key++) {
        merge(rowKey(key), value(workload.randomValue()));
      }
    }
  }

  /** Ten map rows per setup key. */
  @State(Scope.Thread)
  public static class MapRows extends Rows {
    @Override
    void fill() throws Exception {
      for (long key = 0; key < StateWorkload.SETUP_KEYS; key++) {
        for (int i = 0; i < StateWorkload.MAP_KEYS; i++) {
          put(rowKey(key, workload.mapKeyAt(i)), value(workload.randomValue()));
        }
      }
    }
  }

  @Benchmark
  public int valueGet(ValueRows rows) throws Exception {
    rows.workload.next();
    return rows.get(rows.rowKey(rows.workload.setupKey()));
  }

  @Benchmark
  public void valueUpdate(ValueRows rows) throws Exception {
    rows.workload.next();
    rows.put(rows.rowKey(rows.workload.setupKey()), rows.value(rows.workload.value()));
  }

  @Benchmark
  public void listAppend(ListRows rows) throws Exception {
    rows.workload.next();
    rows.merge(rows.rowKey(rows.workload.setupKey()), rows.value(rows.workload.value()));
  }

  @Benchmark
  public int mapGet(MapRows rows) throws Exception {
    rows.workload.next();
    return rows.get(rows.rowKey(rows.workload.setupKey(), rows.workload.mapKey()));
  }
}
