package io.statejob.runtime.cli;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeConfigYaml;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.api.config.SpecToRuntimeConfig;
import io.statejob.api.model.StateJob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The configuration of a local run, lowest precedence first: built-in defaults, the cluster-wide
 * default config file, the manifest's spec, command-line flags, then the program's own code. A
 * local run keeps checkpoints in {@code ./.statejob/checkpoints} and RocksDB files in {@code
 * ./.statejob/rocksdb} unless told otherwise.
 */
final class LocalJobConfiguration {
  static final Path DEFAULT_CHECKPOINT_DIR = Path.of(".statejob", "checkpoints");
  static final Path DEFAULT_ROCKSDB_DIR = Path.of(".statejob", "rocksdb");

  private LocalJobConfiguration() {}

  static RuntimeConfig resolve(
      StateJob job,
      Optional<Path> clusterConfig,
      Optional<String> checkpointDir,
      Map<String, String> dynamicProperties)
      throws IOException {
    RuntimeConfig config =
        clusterConfig.isPresent()
            ? RuntimeConfigYaml.read(clusterConfig.get())
            : RuntimeConfig.empty();
    config = config.overriddenBy(SpecToRuntimeConfig.map(job));
    config = config.overriddenBy(RuntimeConfig.of(dynamicProperties));
    if (checkpointDir.isPresent()) {
      config = config.with(RuntimeOptions.CHECKPOINTS_DIR, checkpointDir.get());
    }
    if (config.getRaw(RuntimeOptions.CHECKPOINTS_DIR.key()).isEmpty()) {
      config =
          config.with(
              RuntimeOptions.CHECKPOINTS_DIR,
              DEFAULT_CHECKPOINT_DIR.toAbsolutePath().toUri().toString());
    }
    if (config.getRaw(RuntimeOptions.ROCKSDB_LOCAL_DIR.key()).isEmpty()) {
      config =
          config.with(
              RuntimeOptions.ROCKSDB_LOCAL_DIR, DEFAULT_ROCKSDB_DIR.toAbsolutePath().toString());
    }
    return config;
  }
}
