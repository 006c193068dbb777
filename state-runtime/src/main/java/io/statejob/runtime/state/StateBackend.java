package io.statejob.runtime.state;

import io.statejob.runtime.storage.CheckpointStorage;
import java.io.IOException;
import java.util.List;

/**
 * A state backend: where keyed state lives while the job runs, and the checkpoint storage its
 * snapshots go to.
 */
public interface StateBackend {
  /** Name stored in checkpoint metadata, e.g. {@code filesystem}. */
  String name();

  <K> KeyedStateBackend<K> createKeyedStateBackend(KeyedBackendParameters<K> parameters)
      throws IOException;

  /** Storage for the checkpoints of job {@code jobId}. */
  CheckpointStorage createCheckpointStorage(String jobId) throws IOException;

  /** Whether snapshots are written while processing goes on. */
  boolean asyncSnapshots();

  /**
   * Deletes what earlier runs of job {@code jobId} left on this machine's disks (a killed process
   * never cleans up). Called before the job's workers start; state always comes from checkpoints.
   */
  default void discardLocalState(String jobId) throws IOException {}

  /** What the backend measures of its keyed state backends in this process; none by default. */
  default List<BackendGauge> gauges() {
    return List.of();
  }
}
