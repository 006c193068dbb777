package io.statejob.benchmarks.flink.state;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.state.benchmark.StateBackendBenchmarkUtils;
import org.apache.flink.state.benchmark.StateBackendBenchmarkUtils.StateBackendType;

/** Flink's keyed backends, built as flink-benchmarks builds them. */
final class FlinkBackends {
  private FlinkBackends() {}

  /**
   * {@code heap} (the HashMap backend) or {@code rocksdb} (EmbeddedRocksDB), in a new directory.
   */
  static KeyedStateBackend<Long> create(String backend) throws IOException {
    StateBackendType type =
        switch (backend) {
          case "heap" -> StateBackendType.HEAP;
          case "rocksdb" -> StateBackendType.ROCKSDB;
          default -> throw new IllegalArgumentException("unknown backend " + backend);
        };
    File directory = Files.createTempDirectory("flink-state-bench").toFile();
    return StateBackendBenchmarkUtils.createKeyedStateBackend(type, directory);
  }
}
