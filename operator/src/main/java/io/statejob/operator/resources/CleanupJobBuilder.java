package io.statejob.operator.resources;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.statejob.api.model.StateJob;
import io.statejob.operator.config.OperatorConfig;

/**
 * The batch Job that deletes the checkpoints of a StateJob being deleted with {@code
 * checkpoints.cleanupOnDelete}: a pod of the runtime image, with the job's config and storage
 * credentials, running {@code statejob checkpoints delete}. It is owned by the StateJob, so it goes
 * with it.
 */
public final class CleanupJobBuilder {
  /** Pods tried before the Job fails; the operator then reports it and starts another. */
  static final int BACKOFF_LIMIT = 2;

  private CleanupJobBuilder() {}

  /**
   * @param jobDirectory the job's checkpoint directory: {@code <checkpoint dir>/<job id>}
   */
  public static Job build(StateJob job, OperatorConfig operator, String jobDirectory) {
    return new JobBuilder()
        .withMetadata(OwnedMetadata.of(job, ResourceNames.cleanup(job), Labels.CLEANUP))
        .withNewSpec()
        .withBackoffLimit(BACKOFF_LIMIT)
        .withTemplate(PodSpecs.cleanupTemplate(job, operator, jobDirectory))
        .endSpec()
        .build();
  }
}
