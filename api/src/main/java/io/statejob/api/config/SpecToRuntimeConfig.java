package io.statejob.api.config;

import io.statejob.api.model.CheckpointsSpec;
import io.statejob.api.model.S3StorageSpec;
import io.statejob.api.model.StateBackendSpec;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobSpec;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps a StateJob's spec onto runtime configuration keys. Only fields the spec sets become keys, so
 * unset fields fall through to the cluster default config. Typed fields override {@code
 * spec.config}.
 */
public final class SpecToRuntimeConfig {
  private SpecToRuntimeConfig() {}

  public static RuntimeConfig map(StateJob job) {
    Map<String, String> out = new TreeMap<>();
    StateJobSpec spec = job.getSpec();
    if (spec == null) {
      return RuntimeConfig.empty();
    }
    if (spec.config != null) {
      out.putAll(spec.config);
    }
    out.put(RuntimeOptions.JOB_ID.key(), job.checkpointJobId());
    put(out, RuntimeOptions.PARALLELISM, spec.parallelism);
    put(out, RuntimeOptions.MAX_PARALLELISM, spec.maxParallelism);
    mapBackend(spec.stateBackend, out);
    mapCheckpoints(spec.checkpoints, out);
    mapS3(spec.storage == null ? null : spec.storage.s3, out);
    if (spec.restore != null) {
      put(out, RuntimeOptions.RESTORE_PATH, spec.restore.path);
      put(
          out,
          RuntimeOptions.RESTORE_MODE,
          spec.restore.mode == null ? null : spec.restore.mode.configValue());
      put(out, RuntimeOptions.ALLOW_NON_RESTORED_STATE, spec.restore.allowNonRestoredState);
      put(out, RuntimeOptions.ALLOW_EMPTY_STATE, spec.restore.allowEmptyState);
    }
    return RuntimeConfig.of(out);
  }

  private static void mapBackend(StateBackendSpec backend, Map<String, String> out) {
    if (backend == null) {
      return;
    }
    if (backend.type != null) {
      String value =
          switch (backend.type) {
            case CUSTOM -> backend.factoryClass;
            default -> backend.type.configValue();
          };
      put(out, RuntimeOptions.STATE_BACKEND, value);
    }
    put(out, RuntimeOptions.INCREMENTAL_CHECKPOINTS, backend.incremental);
    put(out, RuntimeOptions.ASYNC_SNAPSHOTS, backend.asyncSnapshots);
    put(out, RuntimeOptions.MEMORY_MAX_STATE_SIZE, backend.maxStateSize);
  }

  private static void mapCheckpoints(CheckpointsSpec checkpoints, Map<String, String> out) {
    if (checkpoints == null) {
      return;
    }
    put(out, RuntimeOptions.CHECKPOINTS_DIR, checkpoints.uri);
    put(out, RuntimeOptions.CHECKPOINT_INTERVAL, checkpoints.interval);
    put(out, RuntimeOptions.CHECKPOINT_TIMEOUT, checkpoints.timeout);
    put(out, RuntimeOptions.RETAINED_CHECKPOINTS, checkpoints.retained);
    put(out, RuntimeOptions.TOLERABLE_FAILED_CHECKPOINTS, checkpoints.tolerableFailures);
  }

  /** Connection settings only: credentials reach the pods as environment variables. */
  private static void mapS3(S3StorageSpec s3, Map<String, String> out) {
    if (s3 == null) {
      return;
    }
    putKey(out, "fs.s3a.endpoint", s3.endpoint);
    putKey(out, "fs.s3a.endpoint.region", s3.region);
    putKey(out, "fs.s3a.path.style.access", s3.pathStyleAccess);
  }

  private static void putKey(Map<String, String> out, String key, Object value) {
    if (value != null) {
      out.put(key, value.toString());
    }
  }

  private static void put(Map<String, String> out, ConfigOption<?> option, Object value) {
    putKey(out, option.key(), value);
  }
}
