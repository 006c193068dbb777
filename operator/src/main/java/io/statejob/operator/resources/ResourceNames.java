package io.statejob.operator.resources;

import io.statejob.api.model.StateJob;

/** Names of the objects a job owns, derived from the job's name. */
public final class ResourceNames {
  private ResourceNames() {}

  public static String config(StateJob job) {
    return job.getMetadata().getName() + "-config";
  }

  public static String coordinator(StateJob job) {
    return job.getMetadata().getName() + "-coordinator";
  }

  public static String cleanup(StateJob job) {
    return job.getMetadata().getName() + "-cleanup";
  }

  public static String apiToken(StateJob job) {
    return job.getMetadata().getName() + "-api-token";
  }

  public static String networkPolicy(StateJob job) {
    return job.getMetadata().getName();
  }

  public static String workers(StateJob job) {
    return job.getMetadata().getName() + "-worker";
  }
}
