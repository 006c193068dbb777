package io.statejob.runtime.checkpoint;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import java.time.Duration;

/**
 * How the coordinator checkpoints a job.
 *
 * @param jobId the job's stable id
 * @param backend name of the state backend, recorded in metadata
 * @param maxParallelism number of key groups
 * @param interval time between checkpoints
 * @param timeout a checkpoint not complete by then is aborted
 * @param tolerableFailures consecutive failures tolerated before the job restarts
 */
public record CheckpointSettings(
    String jobId,
    String backend,
    int maxParallelism,
    Duration interval,
    Duration timeout,
    int tolerableFailures) {

  public static CheckpointSettings from(RuntimeConfig config, String jobId, String backend) {
    return new CheckpointSettings(
        jobId,
        backend,
        config.get(RuntimeOptions.MAX_PARALLELISM),
        config.get(RuntimeOptions.CHECKPOINT_INTERVAL),
        config.get(RuntimeOptions.CHECKPOINT_TIMEOUT),
        config.get(RuntimeOptions.TOLERABLE_FAILED_CHECKPOINTS));
  }
}
