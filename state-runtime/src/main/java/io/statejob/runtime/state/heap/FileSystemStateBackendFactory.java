package io.statejob.runtime.state.heap;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.checkpoint.Checkpoints;
import io.statejob.runtime.checkpoint.FileSystemCheckpointStorage;
import io.statejob.runtime.state.StateBackend;
import io.statejob.runtime.state.StateBackendFactory;

/**
 * The {@code filesystem} backend: heap state, snapshots as files under {@code
 * state.checkpoints.dir}; state below {@code state.storage.fs.memory-threshold} is inlined.
 */
public final class FileSystemStateBackendFactory implements StateBackendFactory {
  @Override
  public StateBackend create(RuntimeConfig config, ClassLoader classLoader) {
    String dir =
        config
            .getOptional(RuntimeOptions.CHECKPOINTS_DIR)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the filesystem backend needs state.checkpoints.dir"
                            + " (spec.checkpoints.uri)"));
    long threshold = config.get(RuntimeOptions.FS_MEMORY_THRESHOLD);
    return new HeapStateBackend(
        "filesystem",
        config.get(RuntimeOptions.ASYNC_SNAPSHOTS),
        jobId -> new FileSystemCheckpointStorage(Checkpoints.toUri(dir), jobId, config, threshold));
  }
}
