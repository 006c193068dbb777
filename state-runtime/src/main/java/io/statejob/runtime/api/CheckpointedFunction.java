package io.statejob.runtime.api;

import io.statejob.runtime.api.state.OperatorStateStore;

/**
 * A function with operator (non-keyed) state. {@link #initializeState} runs before {@link
 * RichFunction#open}, on a fresh start and on restore; {@link #snapshotState} runs at each
 * checkpoint, between two records, before the state is written.
 */
public interface CheckpointedFunction {
  void initializeState(InitializationContext context) throws Exception;

  void snapshotState(long checkpointId) throws Exception;

  /** What a function gets to set up its operator state. */
  interface InitializationContext {
    OperatorStateStore getOperatorStateStore();

    /** True when the state was restored from a checkpoint. */
    boolean isRestored();

    /** This worker's index. */
    int subtaskIndex();

    /** The number of workers now, which may differ from when the state was written. */
    int parallelism();

    /**
     * The file system of {@code uri} ({@code file://}, {@code s3a://}) with the job's {@code fs.*}
     * settings: endpoint, credentials, retries. Shared by the process; do not close it.
     */
    org.apache.hadoop.fs.FileSystem fileSystem(java.net.URI uri) throws java.io.IOException;
  }
}
