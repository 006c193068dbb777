package io.statejob.runtime.state;

import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.serialization.TypeSerializer;

/**
 * What a keyed state backend is created for.
 *
 * @param jobId the job's stable id, which names its local working directories
 * @param keySerializer serializer of the stream's key
 * @param maxParallelism number of key groups of the job
 * @param keyGroupRange the key groups this worker owns
 * @param subtaskIndex the worker's index
 * @param classLoader loads user classes named in restored state
 * @param ttlTimeProvider the clock states with a time to live expire by
 */
public record KeyedBackendParameters<K>(
    String jobId,
    TypeSerializer<K> keySerializer,
    int maxParallelism,
    KeyGroupRange keyGroupRange,
    int subtaskIndex,
    ClassLoader classLoader,
    TtlTimeProvider ttlTimeProvider) {

  /** Parameters whose states expire by the system clock. */
  public KeyedBackendParameters(
      String jobId,
      TypeSerializer<K> keySerializer,
      int maxParallelism,
      KeyGroupRange keyGroupRange,
      int subtaskIndex,
      ClassLoader classLoader) {
    this(
        jobId,
        keySerializer,
        maxParallelism,
        keyGroupRange,
        subtaskIndex,
        classLoader,
        TtlTimeProvider.SYSTEM);
  }
}
