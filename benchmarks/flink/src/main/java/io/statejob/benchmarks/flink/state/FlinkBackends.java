package io.statejob.benchmarks.flink.state;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Collections;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.core.fs.CloseableRegistry;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.memory.OpaqueMemoryResource;
import org.apache.flink.runtime.state.AbstractStateBackend;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.LocalRecoveryConfig;
import org.apache.flink.runtime.state.metrics.LatencyTrackingStateConfig;
import org.apache.flink.runtime.state.metrics.SizeTrackingStateConfig;
import org.apache.flink.runtime.state.ttl.TtlTimeProvider;
import org.apache.flink.state.benchmark.StateBackendBenchmarkUtils;
import org.apache.flink.state.benchmark.StateBackendBenchmarkUtils.StateBackendType;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend.PriorityQueueStateType;
import org.apache.flink.state.rocksdb.PredefinedOptions;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackendBuilder;
import org.apache.flink.state.rocksdb.RocksDBMemoryControllerUtils;
import org.apache.flink.state.rocksdb.RocksDBPriorityQueueConfig;
import org.apache.flink.state.rocksdb.RocksDBResourceContainer;

/**
 * Flink's keyed backends, built as flink-benchmarks builds them: the HashMap backend through its
 * {@code StateBackendBenchmarkUtils}; EmbeddedRocksDB as that class builds it too (2 key groups, no
 * local recovery, RocksDB timers), except for its memory. flink-benchmarks gives RocksDB no managed
 * memory, so each state would get its own 8 MB block cache and up to 128 MB of memtables beside it.
 * Here it gets Flink's managed-memory layout ({@code state.backend.rocksdb.memory.managed}, the
 * default in a cluster: one cache that the memtables are charged to, Flink's default ratios) over
 * {@value #ROCKSDB_MEMORY} bytes, the total of StateJob's default block cache, which holds its
 * memtables too: both systems run RocksDB in the same memory.
 */
final class FlinkBackends {
  static final long ROCKSDB_MEMORY = 64L << 20;

  private FlinkBackends() {}

  /**
   * {@code heap} (the HashMap backend) or {@code rocksdb} (EmbeddedRocksDB), in a new directory.
   */
  static KeyedStateBackend<Long> create(String backend) throws IOException {
    File directory = Files.createTempDirectory("flink-state-bench").toFile();
    return switch (backend) {
      case "heap" ->
          StateBackendBenchmarkUtils.createKeyedStateBackend(StateBackendType.HEAP, directory);
      case "rocksdb" -> rocksDB(directory);
      default -> throw new IllegalArgumentException("unknown backend " + backend);
    };
  }

  // RocksDBSharedResources is package-private: held as what it is, an AutoCloseable
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static KeyedStateBackend<Long> rocksDB(File directory) throws IOException {
    org.rocksdb.RocksDB.loadLibrary(); // the builder loads it too, but after the cache is made
    AutoCloseable shared =
        RocksDBMemoryControllerUtils.allocateRocksDBSharedResources(
            ROCKSDB_MEMORY,
            0.5, // state.backend.rocksdb.memory.write-buffer-ratio
            0.1, // state.backend.rocksdb.memory.high-prio-pool-ratio
            false,
            RocksDBMemoryControllerUtils.RocksDBMemoryFactory.DEFAULT);
    RocksDBResourceContainer resources =
        new RocksDBResourceContainer(
            PredefinedOptions.DEFAULT,
            null,
            (OpaqueMemoryResource)
                new OpaqueMemoryResource<>(shared, ROCKSDB_MEMORY, shared::close));
    ExecutionConfig executionConfig = new ExecutionConfig();
    try {
      return new RocksDBKeyedStateBackendBuilder<>(
              "Test",
              Thread.currentThread().getContextClassLoader(),
              StateBackendBenchmarkUtils.prepareDirectory("dbPath", directory),
              resources,
              stateName -> resources.getColumnOptions(),
              null,
              LongSerializer.INSTANCE,
              2,
              new KeyGroupRange(0, 1),
              executionConfig,
              LocalRecoveryConfig.BACKUP_AND_RECOVERY_DISABLED,
              RocksDBPriorityQueueConfig.buildWithPriorityQueueType(PriorityQueueStateType.ROCKSDB),
              TtlTimeProvider.DEFAULT,
              LatencyTrackingStateConfig.disabled(),
              SizeTrackingStateConfig.disabled(),
              new UnregisteredMetricsGroup(),
              (name, value) -> {},
              Collections.emptyList(),
              AbstractStateBackend.getCompressionDecorator(executionConfig),
              new CloseableRegistry())
          .build();
    } catch (Exception e) {
      org.apache.flink.util.IOUtils.closeQuietly(resources);
      throw new IOException("cannot build Flink's RocksDB backend", e);
    }
  }
}
