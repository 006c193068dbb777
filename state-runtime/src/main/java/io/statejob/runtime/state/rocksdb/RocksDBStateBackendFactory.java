package io.statejob.runtime.state.rocksdb;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.state.BackendGauge;
import io.statejob.runtime.state.KeyedBackendParameters;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.StateBackend;
import io.statejob.runtime.state.StateBackendFactory;
import io.statejob.runtime.state.rocksdb.database.RocksDBFiles;
import io.statejob.runtime.state.rocksdb.database.RocksDBInstance;
import io.statejob.runtime.state.rocksdb.database.RocksDBNativeMetrics;
import io.statejob.runtime.state.rocksdb.database.RocksDBSettings;
import io.statejob.runtime.storage.CheckpointStorage;
import io.statejob.runtime.storage.FileSystemCheckpointStorage;
import java.io.IOException;
import java.util.List;

/**
 * The {@code rocksdb} backend: keyed state in RocksDB on local disk, full or incremental snapshots
 * as files under {@code state.checkpoints.dir}.
 */
public final class RocksDBStateBackendFactory implements StateBackendFactory {
  @Override
  public List<String> names() {
    return List.of("rocksdb");
  }

  @Override
  public StateBackend create(RuntimeConfig config, ClassLoader classLoader) {
    CheckpointStorage.Factory storage = FileSystemCheckpointStorage.requiredBy("rocksdb", config);
    RocksDBSettings settings = RocksDBSettings.from(config);
    RocksDBNativeMetrics metrics = new RocksDBNativeMetrics();
    return new StateBackend() {
      @Override
      public String name() {
        return "rocksdb";
      }

      @Override
      public <K> KeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters)
          throws IOException {
        return new RocksDBKeyedStateBackend<>(parameters, settings, metrics);
      }

      @Override
      public List<BackendGauge> gauges() {
        return metrics.gauges();
      }

      @Override
      public CheckpointStorage createCheckpointStorage(String jobId) throws IOException {
        return storage.create(jobId);
      }

      @Override
      public boolean asyncSnapshots() {
        return true;
      }

      @Override
      public void discardLocalState(String jobId) {
        RocksDBFiles.deleteQuietly(RocksDBInstance.jobDir(settings, jobId));
      }
    };
  }
}
