package io.statejob.runtime.state.heap;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.state.StateBackend;
import io.statejob.runtime.state.StateBackendFactory;
import io.statejob.runtime.storage.Checkpoints;
import io.statejob.runtime.storage.FileSystemCheckpointStorage;
import io.statejob.runtime.storage.MemoryCheckpointStorage;
import java.util.List;
import java.util.Optional;

/**
 * The {@code memory} backend (alias {@code jobmanager}): heap state, snapshots in the coordinator's
 * heap, persisted to {@code state.checkpoints.dir} too when one is set.
 */
public final class MemoryStateBackendFactory implements StateBackendFactory {
  @Override
  public List<String> names() {
    return List.of("memory", "jobmanager");
  }

  @Override
  public StateBackend create(RuntimeConfig config, ClassLoader classLoader) {
    long maxStateSize = config.get(RuntimeOptions.MEMORY_MAX_STATE_SIZE);
    Optional<String> dir = config.getOptional(RuntimeOptions.CHECKPOINTS_DIR);
    return new HeapStateBackend(
        "memory",
        config.get(RuntimeOptions.ASYNC_SNAPSHOTS),
        jobId ->
            new MemoryCheckpointStorage(
                dir.isPresent()
                    ? Optional.of(
                        new FileSystemCheckpointStorage(
                            Checkpoints.toUri(dir.get()), jobId, config, Long.MAX_VALUE))
                    : Optional.empty(),
                maxStateSize));
  }
}
