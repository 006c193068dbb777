package io.statejob.runtime.state.heap;

import io.statejob.runtime.state.KeyedBackendParameters;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.StateBackend;
import io.statejob.runtime.storage.CheckpointStorage;
import java.io.IOException;

/** Heap keyed state with a pluggable checkpoint storage: the memory and filesystem backends. */
final class HeapStateBackend implements StateBackend {
  private final String name;
  private final boolean asyncSnapshots;
  private final CheckpointStorage.Factory storage;

  HeapStateBackend(String name, boolean asyncSnapshots, CheckpointStorage.Factory storage) {
    this.name = name;
    this.asyncSnapshots = asyncSnapshots;
    this.storage = storage;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public <K> KeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters) {
    return new HeapKeyedStateBackend<>(parameters);
  }

  @Override
  public CheckpointStorage createCheckpointStorage(String jobId) throws IOException {
    return storage.create(jobId);
  }

  @Override
  public boolean asyncSnapshots() {
    return asyncSnapshots;
  }
}
