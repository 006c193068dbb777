package io.statejob.benchmarks.state;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.keygroup.KeyGroups;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.state.KeyedBackendParameters;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.heap.HeapKeyedStateBackend;
import io.statejob.runtime.state.rocksdb.RocksDBKeyedStateBackend;
import io.statejob.runtime.state.rocksdb.database.RocksDBNativeMetrics;
import io.statejob.runtime.state.rocksdb.database.RocksDBSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A StateJob keyed backend as a benchmark uses it: {@code heap} or {@code rocksdb} with the
 * runtime's default settings, {@code Long} keys, and 2 key groups, as flink-benchmarks builds
 * Flink's. Its files live in a temporary directory deleted on close.
 */
final class BenchmarkBackend implements AutoCloseable {
  static final int MAX_PARALLELISM = 2;

  private final KeyGroups.Assigner<Long> assigner =
      new KeyGroups.Assigner<>(Serializers.LONG, MAX_PARALLELISM);
  private final Path directory;
  private final KeyedStateBackend<Long> backend;

  BenchmarkBackend(String kind) throws IOException {
    directory = Files.createTempDirectory("statejob-bench");
    KeyedBackendParameters<Long> parameters =
        new KeyedBackendParameters<>(
            "bench",
            Serializers.LONG,
            MAX_PARALLELISM,
            new KeyGroupRange(0, MAX_PARALLELISM - 1),
            0,
            getClass().getClassLoader());
    backend =
        switch (kind) {
          case "heap" -> new HeapKeyedStateBackend<>(parameters);
          case "rocksdb" ->
              new RocksDBKeyedStateBackend<>(
                  parameters, rocksDBSettings(directory), new RocksDBNativeMetrics());
          default -> throw new IllegalArgumentException("unknown backend " + kind);
        };
  }

  /** The runtime's default RocksDB settings, with files under {@code directory}. */
  static RocksDBSettings rocksDBSettings(Path directory) {
    return RocksDBSettings.from(
        RuntimeConfig.of(
            Map.of("state.backend.rocksdb.localdir", directory.resolve("rocksdb").toString())));
  }

  /** The key group of {@code key}, as a keyBy computes it. */
  int keyGroupOf(long key) {
    return assigner.keyGroupOf(key);
  }

  /** Sets the current key as the task thread does for each record, key group included. */
  void setCurrentKey(long key) {
    backend.setCurrentKey(key, assigner.keyGroupOf(key));
  }

  @SuppressWarnings("unchecked")
  <S> S state(StateDescriptor descriptor) {
    return (S) backend.getOrCreateState("op." + descriptor.name(), descriptor);
  }

  @Override
  public void close() throws IOException {
    backend.close();
    deleteRecursively(directory);
  }

  static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
