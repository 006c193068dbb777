package io.statejob.runtime.api;

/** A function told when a checkpoint it took part in has completed. */
public interface CheckpointListener {
  void notifyCheckpointComplete(long checkpointId) throws Exception;
}
