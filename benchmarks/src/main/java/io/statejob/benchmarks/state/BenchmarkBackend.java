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
import io.statejob.runtime.state.rocksdb.database.RocksDBFiles;
import io.statejob.runtime.state.rocksdb.database.RocksDBNativeMetrics;
import io.statejob.runtime.state.rocksdb.database.RocksDBSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A StateJob keyed backend as a benchmark uses it: {@code heap} or {@code rocksdb} with the
 * runtime's default settings, {@code Long} keys, and all key groups (2 unless said, as
 * flink-benchmarks builds Flink's). Its files live in a temporary directory deleted on close.
 */
final class BenchmarkBackend implements AutoCloseable {
  static final int MAX_PARALLELISM = 2;

  private final KeyGroups.Assigner<Long> assigner;
  private final Path directory;
  private final KeyedStateBackend<Long> backend;

  BenchmarkBackend(String kind) throws IOException {
    this(kind, MAX_PARALLELISM);
  }

  BenchmarkBackend(String kind, int maxParallelism) throws IOException {
    assigner = new KeyGroups.Assigner<>(Serializers.LONG, maxParallelism);
    directory = Files.createTempDirectory("statejob-bench");
    KeyedBackendParameters<Long> parameters =
        new KeyedBackendParameters<>(
            "bench",
            Serializers.LONG,
            maxParallelism,
            new KeyGroupRange(0, maxParallelism - 1),
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

  KeyedStateBackend<Long> keyed() {
    return backend;
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
    RocksDBFiles.deleteQuietly(directory);
  }
}
