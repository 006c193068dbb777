package io.statejob.runtime.state.heap;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.state.StateBackend;
import io.statejob.runtime.state.StateBackendFactory;
import io.statejob.runtime.storage.FileSystemCheckpointStorage;
import java.util.List;

/**
 * The {@code filesystem} backend: heap state, snapshots as files under {@code
 * state.checkpoints.dir}; state below {@code state.storage.fs.memory-threshold} is inlined.
 */
public final class FileSystemStateBackendFactory implements StateBackendFactory {
  @Override
  public List<String> names() {
    return List.of("filesystem");
  }

  @Override
  public StateBackend create(RuntimeConfig config, ClassLoader classLoader) {
    return new HeapStateBackend(
        "filesystem",
        config.get(RuntimeOptions.ASYNC_SNAPSHOTS),
        FileSystemCheckpointStorage.requiredBy("filesystem", config));
  }
}
