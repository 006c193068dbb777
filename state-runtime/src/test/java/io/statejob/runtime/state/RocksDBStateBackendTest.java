package io.statejob.runtime.state;

import io.statejob.api.config.RuntimeConfig;
import java.nio.file.Path;
import java.util.Map;

/** The behaviour suite on RocksDB with full snapshots. */
class RocksDBStateBackendTest extends StateBackendTestBase {
  @Override
  protected RuntimeConfig config(Path dir) {
    return RuntimeConfig.of(
        Map.of(
            "state.backend",
            "rocksdb",
            "state.checkpoints.dir",
            dir.resolve("checkpoints").toUri().toString(),
            "state.backend.rocksdb.localdir",
            dir.resolve("local").toString(),
            "state.backend.incremental",
            "false"));
  }
}
