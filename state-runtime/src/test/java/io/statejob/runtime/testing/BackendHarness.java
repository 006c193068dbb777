package io.statejob.runtime.testing;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.api.state.State;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.checkpoint.KeyedStateRestore;
import io.statejob.runtime.checkpoint.SubtaskSnapshotFormat;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.keygroup.KeyGroups;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.KeyedBackendParameters;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.state.StateBackend;
import io.statejob.runtime.state.StateBackends;
import io.statejob.runtime.state.TtlTimeProvider;
import io.statejob.runtime.storage.CheckpointStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keyed backends of {@code parallelism} workers over string keys, with snapshot and restore through
 * the same stream format and storage the workers use.
 */
public final class BackendHarness implements AutoCloseable {
  public static final int MAX_PARALLELISM = 128;

  private final StateBackend backend;
  private final CheckpointStorage storage;
  private final RuntimeConfig config;
  private final TtlTimeProvider clock;
  private final List<KeyedStateBackend<String>> workers = new ArrayList<>();
  private final KeyGroups.Assigner<String> assigner =
      new KeyGroups.Assigner<>(Serializers.STRING, MAX_PARALLELISM);

  public BackendHarness(
      StateBackend backend, CheckpointStorage storage, RuntimeConfig config, int parallelism)
      throws IOException {
    this(backend, storage, config, parallelism, TtlTimeProvider.SYSTEM);
  }

  /** Workers whose states with a time to live expire by {@code clock}. */
  public BackendHarness(
      StateBackend backend,
      CheckpointStorage storage,
      RuntimeConfig config,
      int parallelism,
      TtlTimeProvider clock)
      throws IOException {
    this.backend = backend;
    this.storage = storage;
    this.config = config;
    this.clock = clock;
    for (int i = 0; i < parallelism; i++) {
      workers.add(
          backend.createKeyedStateBackend(
              new KeyedBackendParameters<>(
                  "test-job",
                  Serializers.STRING,
                  MAX_PARALLELISM,
                  KeyGroups.rangeFor(MAX_PARALLELISM, parallelism, i),
                  i,
                  getClass().getClassLoader(),
                  clock)));
    }
  }

  /**
   * Workers of the backend {@code config} names, checkpointing to its storage for the config's job
   * ({@code job.id}), whose states with a time to live expire by {@code clock}.
   */
  public static BackendHarness open(RuntimeConfig config, int parallelism, TtlTimeProvider clock)
      throws Exception {
    StateBackend backend = StateBackends.load(config, BackendHarness.class.getClassLoader());
    return new BackendHarness(
        backend,
        backend.createCheckpointStorage(config.get(RuntimeOptions.JOB_ID)),
        config,
        parallelism,
        clock);
  }

  /**
   * The config of a RocksDB job {@code job} with checkpoints under {@code dir}/checkpoints and its
   * databases under {@code dir}/local.
   */
  public static RuntimeConfig rocksDBConfig(Path dir, boolean incremental) {
    return RuntimeConfig.of(
        Map.of(
            "job.id",
            "job",
            "state.backend",
            "rocksdb",
            "state.backend.incremental",
            String.valueOf(incremental),
            "state.checkpoints.dir",
            dir.resolve("checkpoints").toUri().toString(),
            "state.backend.rocksdb.localdir",
            dir.resolve("local").toString()));
  }

  public int parallelism() {
    return workers.size();
  }

  public KeyGroupRange range(int subtask) {
    return KeyGroups.rangeFor(MAX_PARALLELISM, workers.size(), subtask);
  }

  /** Sets {@code key} as current on the worker that owns it and returns that worker's state. */
  @SuppressWarnings("unchecked")
  public <S extends State> S state(String key, String name, StateDescriptor descriptor) {
    return (S) workerOwning(key).getOrCreateState(name, descriptor);
  }

  /** The worker that owns {@code key}, with the key set as current. */
  public KeyedStateBackend<String> workerOwning(String key) {
    int keyGroup = assigner.keyGroupOf(key);
    KeyedStateBackend<String> owner = workers.get(keyGroup * workers.size() / MAX_PARALLELISM);
    owner.setCurrentKey(key, keyGroup);
    return owner;
  }

  /** The synchronous part of a snapshot on every worker. */
  public List<KeyedStateSnapshot> freeze(long checkpointId) throws IOException {
    List<KeyedStateSnapshot> snapshots = new ArrayList<>();
    for (KeyedStateBackend<String> worker : workers) {
      snapshots.add(worker.snapshot(checkpointId, SnapshotType.CHECKPOINT));
    }
    return snapshots;
  }

  /** The asynchronous part: writes frozen snapshots as acknowledgements. */
  public List<SubtaskState> write(long checkpointId, List<KeyedStateSnapshot> frozen)
      throws IOException {
    List<SubtaskState> acks = new ArrayList<>();
    for (int i = 0; i < frozen.size(); i++) {
      try {
        acks.add(
            SubtaskSnapshotFormat.write(
                storage,
                checkpointId,
                i,
                "keyBy-1",
                Long.MIN_VALUE,
                range(i),
                frozen.get(i),
                List.of()));
      } finally {
        frozen.get(i).release();
      }
    }
    return acks;
  }

  /** Both parts, then the completion notice the coordinator sends. */
  public List<SubtaskState> snapshot(long checkpointId) throws IOException {
    List<SubtaskState> acks = write(checkpointId, freeze(checkpointId));
    notifyComplete(checkpointId);
    return acks;
  }

  /** The coordinator's notice that checkpoint {@code checkpointId} completed. */
  public void notifyComplete(long checkpointId) {
    for (KeyedStateBackend<String> worker : workers) {
      worker.notifyCheckpointComplete(checkpointId);
    }
  }

  /** New workers at {@code parallelism}, each restored from the key groups it owns. */
  public BackendHarness restore(List<SubtaskState> acks, int parallelism) throws IOException {
    BackendHarness restored = new BackendHarness(backend, storage, config, parallelism, clock);
    for (int i = 0; i < parallelism; i++) {
      KeyedStateRestore.restore(acks, restored.range(i), restored.workers.get(i), config);
    }
    return restored;
  }

  public CheckpointStorage storage() {
    return storage;
  }

  @Override
  public void close() throws IOException {
    for (KeyedStateBackend<String> worker : workers) {
      worker.close();
    }
  }
}
