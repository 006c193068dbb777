package io.statejob.operator.resources;

import io.statejob.api.model.StateJob;
import java.util.Map;

/** The standard {@code app.kubernetes.io} labels of everything the operator creates for a job. */
public final class Labels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String OPERATOR = "statejob-operator";
  public static final String COORDINATOR = "coordinator";
  public static final String WORKER = "worker";
  public static final String CLEANUP = "cleanup";

  private Labels() {}

  /** Labels of one component (coordinator, worker, config) of a job. */
  public static Map<String, String> of(StateJob job, String component) {
    return Map.of(
        "app.kubernetes.io/name",
        "statejob",
        INSTANCE,
        job.getMetadata().getName(),
        COMPONENT,
        component,
        MANAGED_BY,
        OPERATOR);
  }

  /** {@link #selector} as a label selector string, as the scale subresource gives it. */
  public static String selectorString(StateJob job, String component) {
    return new java.util.TreeMap<>(selector(job, component))
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(java.util.stream.Collectors.joining(","));
  }

  /** The stable subset that selects a component's pods; never changes for a running job. */
  public static Map<String, String> selector(StateJob job, String component) {
    return Map.of(INSTANCE, job.getMetadata().getName(), COMPONENT, component);
  }
}
