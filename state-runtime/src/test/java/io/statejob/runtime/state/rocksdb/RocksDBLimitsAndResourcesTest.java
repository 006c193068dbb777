package io.statejob.runtime.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.api.state.MapState;
import io.statejob.runtime.api.state.MapStateDescriptor;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.state.BackendGauge;
import io.statejob.runtime.state.KeyedBackendParameters;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;
import io.statejob.runtime.state.rocksdb.database.RocksDBNativeMetrics;
import io.statejob.runtime.state.rocksdb.database.RocksDBSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDBLimitsAndResourcesTest {
  private static final ListStateDescriptor<String> EVENTS =
      new ListStateDescriptor<>("events", Serializers.STRING);

  @TempDir Path dir;

  private final RocksDBNativeMetrics metrics = new RocksDBNativeMetrics();

  private RocksDBKeyedStateBackend<String> open(RocksDBSettings settings) throws IOException {
    return new RocksDBKeyedStateBackend<>(
        new KeyedBackendParameters<>(
            "job",
            Serializers.STRING,
            128,
            new KeyGroupRange(0, 127),
            0,
            getClass().getClassLoader()),
        settings,
        metrics);
  }

  /** 99 bytes serialized, 100 with the delimiter before it. */
  private static final String ELEMENT = "e".repeat(98);

  /** The list of key {@code user-1} with ten elements: 999 bytes, one short of a 1,000 limit. */
  @SuppressWarnings("unchecked")
  private static ListState<String> nearTheLimit(RocksDBKeyedStateBackend<String> backend) {
    backend.setCurrentKey("user-1", 5);
    ListState<String> list = (ListState<String>) backend.getOrCreateState("f.events", EVENTS);
    for (int i = 0; i < 10; i++) {
      list.add(ELEMENT);
    }
    return list;
  }

  private RocksDBSettings settings() {
    return RocksDBSettings.from(
        RuntimeConfig.of(Map.of("state.backend.rocksdb.localdir", dir.toString())));
  }

  @Test
  void theDefaultValueLimitIsWhatAJavaArrayCanHold() {
    assertThat(settings().maxValueSize()).isEqualTo(Integer.MAX_VALUE - 8).isLessThan(1L << 31);
  }

  @Test
  void aListThatWouldOutgrowTheValueLimitIsRejectedWhenWrittenNamingStateAndKey() throws Exception {
    try (RocksDBKeyedStateBackend<String> backend = open(settings().withMaxValueSize(1_000))) {
      ListState<String> list = nearTheLimit(backend);
      assertThatThrownBy(() -> list.add(ELEMENT))
          .hasMessageContaining("state 'f.events' for key user-1")
          .hasMessageContaining("past the 1000-byte limit");
      assertThat(list.get()).hasSize(10);
      assertThatThrownBy(() -> list.update(List.of("e".repeat(2_000))))
          .hasMessageContaining("past the 1000-byte limit");
      list.update(List.of("short"));
      list.add(ELEMENT);
      assertThat(list.get()).containsExactly("short", ELEMENT);
    }
  }

  @Test
  void nativeMetricsSumTheOpenDatabasesAndAReadRacingACloseIsSafe() throws Exception {
    Map<String, BackendGauge> gauges = new java.util.HashMap<>();
    metrics.gauges().forEach(g -> gauges.put(g.name(), g));
    RocksDBKeyedStateBackend<String> first = open(settings());
    RocksDBKeyedStateBackend<String> second = open(settings());
    for (RocksDBKeyedStateBackend<String> backend : List.of(first, second)) {
      for (int i = 0; i < 1_000; i++) {
        backend.setCurrentKey("key-" + i, i % 128);
        @SuppressWarnings("unchecked")
        ListState<String> list = (ListState<String>) backend.getOrCreateState("f.events", EVENTS);
        list.add("v" + i);
      }
    }
    double memtables = gauges.get("statejob.rocksdb.memtables.size").value().getAsDouble();
    assertThat(memtables).as("two databases' memtables").isPositive();
    // an estimate (a list's merges count too), the same for both databases
    double keys = gauges.get("statejob.rocksdb.keys.estimate").value().getAsDouble();
    assertThat(keys).isGreaterThanOrEqualTo(2_000);
    assertThat(gauges.get("statejob.rocksdb.block.cache.usage").value().getAsDouble())
        .as("the memtables are charged to the block cache")
        .isPositive();

    // a scrape that reads while the worker closes a database must neither crash nor fail
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CompletableFuture<Void> reader =
        java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              while (!done.get()) {
                gauges.values().forEach(g -> g.value().getAsDouble());
              }
            });
    first.close();
    assertThat(gauges.get("statejob.rocksdb.keys.estimate").value().getAsDouble())
        .as("the open database's only")
        .isEqualTo(keys / 2);
    second.close();
    done.set(true);
    reader.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(gauges.values()).allSatisfy(g -> assertThat(g.value().getAsDouble()).isZero());
  }

  @Test
  void listSizesAreCachedBetweenSnapshotsAndWrittenAtEach() throws Exception {
    try (RocksDBKeyedStateBackend<String> backend = open(settings().withMaxValueSize(1_000))) {
      ListState<String> list = nearTheLimit(backend);
      RocksDBColumn column = backend.instance().column("f.events").orElseThrow();
      assertThat(sizeRow(backend, column)).as("not written at each add").isEqualTo(-1);
      backend.snapshot(1, SnapshotType.CHECKPOINT).release();
      assertThat(sizeRow(backend, column)).as("written before the snapshot").isEqualTo(999);

      list.clear();
      assertThat(list.get()).isEmpty();
      list.add("short");
      assertThat(list.get()).containsExactly("short");
      backend.snapshot(2, SnapshotType.CHECKPOINT).release();
      assertThat(sizeRow(backend, column)).isEqualTo(6);
      list.clear();
      backend.snapshot(3, SnapshotType.CHECKPOINT).release();
      assertThat(sizeRow(backend, column)).as("a cleared list has no size row").isEqualTo(-1);
    }
  }

  @Test
  void theSizeCacheStaysBoundedAndKeepsEveryListsSize() throws Exception {
    RocksDBSettings settings =
        RocksDBSettings.from(
            RuntimeConfig.of(
                Map.of(
                    "state.backend.rocksdb.localdir",
                    dir.toString(),
                    "state.backend.rocksdb.list-size-cache",
                    "1000")));
    try (RocksDBKeyedStateBackend<String> backend = open(settings)) {
      int keys = 2_500;
      @SuppressWarnings("unchecked")
      ListState<String> list = (ListState<String>) backend.getOrCreateState("f.events", EVENTS);
      for (int i = 0; i < keys; i++) {
        backend.setCurrentKey("key-" + i, i % 128);
        list.add("v");
      }
      RocksDBColumn column = backend.instance().column("f.events").orElseThrow();
      assertThat(column.listSizes().cached()).isLessThanOrEqualTo(1_000);
      // the sizes that left the cache went to RocksDB, and are read back from there
      backend.setCurrentKey("key-0", 0);
      list.add("w");
      backend.snapshot(1, SnapshotType.CHECKPOINT).release();
      // "v" and "w" (2 bytes each, with their length) and a delimiter: the first size was kept
      assertThat(sizeRow(backend, column)).isEqualTo(5);
    }
  }

  /** The size row of the current key's list in RocksDB, or -1. */
  private static long sizeRow(RocksDBKeyedStateBackend<String> backend, RocksDBColumn column)
      throws Exception {
    DataOutputBuffer key = backend.currentKeyBytes();
    int length = backend.instance().get(column.sizes(), key.array(), key.length());
    return length < 0 ? -1 : backend.instance().lastValue(length).readLong();
  }

  @Test
  void mapValuesMayNotBeNull() throws Exception {
    try (RocksDBKeyedStateBackend<String> backend = open(settings())) {
      backend.setCurrentKey("k", 1);
      @SuppressWarnings("unchecked")
      MapState<String, Long> map =
          (MapState<String, Long>)
              backend.getOrCreateState(
                  "f.map", new MapStateDescriptor<>("map", Serializers.STRING, Serializers.LONG));
      assertThatThrownBy(() -> map.put("a", null)).hasMessageContaining("must not be null");
    }
  }

  @Test
  void thousandsOfOpenAndCloseCyclesLeakNoNativeHandlesOrFiles() throws Exception {
    cycles(100); // warm up: the native library, caches, class loading
    long filesBefore = openFileDescriptors();
    long residentBefore = residentKiB();
    cycles(2_000);
    assertThat(openFileDescriptors()).isLessThanOrEqualTo(filesBefore + 10);
    assertThat(residentKiB() - residentBefore)
        .as("resident memory growth in KiB")
        .isLessThan(150_000);
    try (Stream<Path> left = Files.list(dir.resolve("job"))) {
      assertThat(left).as("database directories left behind").isEmpty();
    }
  }

  private void cycles(int count) throws Exception {
    RocksDBSettings settings = settings();
    for (int i = 0; i < count; i++) {
      try (RocksDBKeyedStateBackend<String> backend = open(settings)) {
        backend.setCurrentKey("key-" + i, i % 128);
        @SuppressWarnings("unchecked")
        ListState<String> list = (ListState<String>) backend.getOrCreateState("f.events", EVENTS);
        list.add("v" + i);
        if (i % 10 == 0) {
          KeyedStateSnapshot snapshot = backend.snapshot(i, SnapshotType.CHECKPOINT);
          snapshot.writeBlock(0, i % 128, new DataOutputBuffer(64));
          snapshot.release();
        }
      }
    }
  }

  private static long openFileDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  private static long residentKiB() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("VmRSS:"))
        .map(l -> Long.parseLong(l.replaceAll("\\D", "")))
        .findFirst()
        .orElseThrow();
  }
}
