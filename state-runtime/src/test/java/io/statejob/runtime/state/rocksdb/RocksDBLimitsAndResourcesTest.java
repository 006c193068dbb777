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
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.BackendGauge;
import io.statejob.runtime.state.KeyedBackendParameters;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.state.StateBackend;
import io.statejob.runtime.state.StateBackends;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;
import io.statejob.runtime.state.rocksdb.database.RocksDBNativeMetrics;
import io.statejob.runtime.state.rocksdb.database.RocksDBSettings;
import io.statejob.runtime.storage.CheckpointStorage;
import io.statejob.runtime.testing.BackendHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
  void listBoundsGoToTheirColumnFamilyAtEachSnapshotOneRowPerKeyGroup() throws Exception {
    try (RocksDBKeyedStateBackend<String> backend = open(settings().withMaxValueSize(1_000))) {
      nearTheLimit(backend);
      RocksDBColumn column = backend.instance().column("f.events").orElseThrow();
      assertThat(boundRow(backend, column, 5)).as("not written at each add").isEqualTo(-1);
      backend.snapshot(1, SnapshotType.CHECKPOINT).release();
      // ten elements of 99 bytes and nine delimiters are 999 bytes; the bound counts a delimiter
      // before the first element too
      assertThat(boundRow(backend, column, 5)).as("written before the snapshot").isEqualTo(1_000);
      assertThat(boundRow(backend, column, 6)).as("a key group without lists").isEqualTo(-1);
    }
  }

  @Test
  void manySmallListsInOneKeyGroupAddUpPastTheLimitWithoutARejection() throws Exception {
    try (RocksDBKeyedStateBackend<String> backend = open(settings().withMaxValueSize(1_000))) {
      @SuppressWarnings("unchecked")
      ListState<String> list = (ListState<String>) backend.getOrCreateState("f.events", EVENTS);
      // 100 lists of key group 7, five 10-byte elements each: 5,000 bytes added to the group
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 100; i++) {
          backend.setCurrentKey("key-" + i, 7);
          list.add("element" + round + "x");
        }
      }
      for (int i = 0; i < 100; i++) {
        backend.setCurrentKey("key-" + i, 7);
        assertThat(list.get()).hasSize(5);
      }
      long scans = backend.instance().column("f.events").orElseThrow().listGuard().scans();
      // the first add measures the group; the bound then reaches 1,000 bytes every ~95 adds
      assertThat(scans).isBetween(5L, 8L);
    }
  }

  @ParameterizedTest(name = "incremental={0}")
  @ValueSource(booleans = {false, true})
  void aListNearTheLimitIsStillGuardedAfterARestoreAtAnotherParallelism(boolean incremental)
      throws Exception {
    RuntimeConfig config = BackendHarness.rocksDBConfig(dir, incremental);
    StateBackend backend = withValueLimit(StateBackends.load(config, getClass().getClassLoader()));
    List<SubtaskState> acks;
    try (BackendHarness before =
        new BackendHarness(backend, backend.createCheckpointStorage("job"), config, 1)) {
      for (int i = 0; i < 10; i++) {
        before.<ListState<String>>state("user-1", "f.events", EVENTS).add(ELEMENT);
        before.<ListState<String>>state("user-2", "f.events", EVENTS).add("short");
      }
      acks = before.snapshot(1);
      try (BackendHarness after = before.restore(acks, 2)) {
        ListState<String> nearLimit = after.state("user-1", "f.events", EVENTS);
        assertThat(nearLimit.get()).hasSize(10);
        assertThatThrownBy(() -> nearLimit.add(ELEMENT))
            .hasMessageContaining("would grow to 1099 bytes, past the 1000-byte limit");
        ListState<String> small = after.state("user-2", "f.events", EVENTS);
        small.add("more");
        assertThat(small.get()).hasSize(11);
      }
    }
  }

  /** {@code loaded}, with RocksDB backends that hold values of at most 1,000 bytes. */
  private StateBackend withValueLimit(StateBackend loaded) {
    RocksDBSettings limited =
        RocksDBSettings.from(
                RuntimeConfig.of(
                    Map.of("state.backend.rocksdb.localdir", dir.resolve("local").toString())))
            .withMaxValueSize(1_000);
    return new StateBackend() {
      @Override
      public String name() {
        return loaded.name();
      }

      @Override
      public <K> KeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters)
          throws IOException {
        return new RocksDBKeyedStateBackend<>(parameters, limited, metrics);
      }

      @Override
      public CheckpointStorage createCheckpointStorage(String jobId) throws IOException {
        return loaded.createCheckpointStorage(jobId);
      }

      @Override
      public boolean asyncSnapshots() {
        return loaded.asyncSnapshots();
      }
    };
  }

  /** The bound row of key group {@code keyGroup} in RocksDB, or -1. */
  private static long boundRow(
      RocksDBKeyedStateBackend<String> backend, RocksDBColumn column, int keyGroup)
      throws Exception {
    byte[] key = {0, (byte) keyGroup};
    int length = backend.instance().get(column.bounds(), key, key.length);
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
