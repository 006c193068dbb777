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
 * local run with no checkpoint directory anywhere uses {@code ./.statejob/checkpoints}.
 */
final class LocalJobConfiguration {
  static final Path DEFAULT_CHECKPOINT_DIR = Path.of(".statejob", "checkpoints");

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
    return config;
  }
}
