package io.statejob.benchmarks.state;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.keygroup.KeyGroups;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.state.KeyedBackendParameters;
import io.statejob.runtime.state.rocksdb.RocksDBKeyedStateBackend;
import io.statejob.runtime.state.rocksdb.database.RocksDBNativeMetrics;
import io.statejob.runtime.state.rocksdb.database.RocksDBResources;
import io.statejob.runtime.state.rocksdb.database.RocksDBSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;

/**
 * {@code ListState<Long>.add} on RocksDB, on the workload of Flink's {@code ListStateBenchmark}:
 * {@code Long} keys, 500,000 of them with one element each before measuring, then an add of a
 * random value under a random key per operation. Beside it, the ceiling: the same merge of the same
 * bytes through {@code rocksdbjni} with the same options, without any state API.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class ListAddBenchmark {
  static final int SETUP_KEYS = 500_000;
  static final int MAX_PARALLELISM = 128;

  /** {@code state.backend.rocksdb.list-size-cache}: the default, and one that holds every key. */
  @Param({"65536", "1048576"})
  public int listSizeCache;

  private final SplittableRandom random = new SplittableRandom(42);
  private final long[] keys = new long[SETUP_KEYS];
  private final int[] keyGroups = new int[SETUP_KEYS];
  private Path directory;

  // StateJob's backend
  private RocksDBKeyedStateBackend<Long> backend;
  private ListState<Long> list;

  // raw rocksdbjni
  private RocksDBResources resources;
  private RocksDB raw;
  private ColumnFamilyHandle rawColumn;
  private final DataOutputBuffer rawKey = new DataOutputBuffer(16);
  private final DataOutputBuffer rawValue = new DataOutputBuffer(16);

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void setUp() throws Exception {
    directory = Files.createTempDirectory("list-add-bench");
    RocksDBSettings settings =
        RocksDBSettings.from(
            RuntimeConfig.of(
                Map.of(
                    "state.backend.rocksdb.localdir",
                    directory.resolve("statejob").toString(),
                    "state.backend.rocksdb.list-size-cache",
                    String.valueOf(listSizeCache))));
    KeyGroups.Assigner<Long> assigner = new KeyGroups.Assigner<>(Serializers.LONG, MAX_PARALLELISM);
    for (int i = 0; i < SETUP_KEYS; i++) {
      keys[i] = random.nextLong();
      keyGroups[i] = assigner.keyGroupOf(keys[i]);
    }
    backend =
        new RocksDBKeyedStateBackend<>(
            new KeyedBackendParameters<>(
                "bench",
                Serializers.LONG,
                MAX_PARALLELISM,
                new KeyGroupRange(0, MAX_PARALLELISM - 1),
                0,
                getClass().getClassLoader()),
            settings,
            new RocksDBNativeMetrics());
    list =
        (ListState<Long>)
            backend.getOrCreateState(
                "op.list",
                new ListStateDescriptor<>("list", Serializers.LONG),
                Serializers.VOID_NAMESPACE);

    resources = new RocksDBResources(settings);
    Path rawDir = Files.createDirectories(directory.resolve("raw"));
    List<ColumnFamilyHandle> handles = new java.util.ArrayList<>();
    raw =
        RocksDB.open(
            resources.dbOptions,
            rawDir.toString(),
            List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, resources.columnOptions)),
            handles);
    rawColumn =
        raw.createColumnFamily(
            new ColumnFamilyDescriptor("list".getBytes(), resources.columnOptions));
    handles.forEach(ColumnFamilyHandle::close);

    for (int i = 0; i < SETUP_KEYS; i++) {
      backend.setCurrentKey(keys[i], keyGroups[i]);
      list.add(random.nextLong());
      rawMerge(i, random.nextLong());
    }
  }

  @Benchmark
  public void statejob() {
    int i = nextKey();
    backend.setCurrentKey(keys[i], keyGroups[i]);
    list.add(random.nextLong());
  }

  @Benchmark
  public void rocksdbjni() throws Exception {
    rawMerge(nextKey(), random.nextLong());
  }

  /** What StateJob writes for an add, straight through rocksdbjni: key group and key, the value. */
  private void rawMerge(int i, long value) throws Exception {
    rawKey.reset();
    rawKey.writeShort(keyGroups[i]);
    Serializers.LONG.serialize(keys[i], rawKey);
    rawValue.reset();
    Serializers.LONG.serialize(value, rawValue);
    raw.merge(
        rawColumn,
        resources.writeOptions,
        rawKey.array(),
        0,
        rawKey.length(),
        rawValue.array(),
        0,
        rawValue.length());
  }

  private int nextKey() {
    return random.nextInt(SETUP_KEYS);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    backend.close();
    rawColumn.close();
    raw.close();
    resources.close();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
