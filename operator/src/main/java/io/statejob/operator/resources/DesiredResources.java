package io.statejob.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.model.StateJob;
import io.statejob.operator.config.OperatorConfig;
import java.util.List;
import java.util.Map;

/**
 * Everything a job owns, as a pure function of the job, the operator's config and the job's API
 * token.
 *
 * @param networkPolicy null when the operator makes none
 */
public record DesiredResources(
    ConfigMap config,
    Secret apiToken,
    NetworkPolicy networkPolicy,
    Service coordinatorService,
    Service workerService,
    StatefulSet coordinator,
    StatefulSet workers) {

  /** The pod templates' annotation with {@code spec.restartNonce}. */
  public static final String RESTART_NONCE = "statejob.io/restart-nonce";

  /** The pod templates' annotation with {@code status.stalls.restarts}. */
  public static final String STALL_RESTARTS = "statejob.io/stall-restarts";

  /**
   * These resources with the restart annotations that {@code deployed}'s pods were started with:
   * equal to what is deployed when nothing but a restart is asked for.
   */
  public DesiredResources withRestartsOf(StatefulSet deployed) {
    Map<String, String> started = deployed.getSpec().getTemplate().getMetadata().getAnnotations();
    return new DesiredResources(
        config,
        apiToken,
        networkPolicy,
        coordinatorService,
        workerService,
        restartedAs(coordinator, started),
        restartedAs(workers, started));
  }

  private static StatefulSet restartedAs(StatefulSet set, Map<String, String> started) {
    Map<String, String> annotations =
        new java.util.HashMap<>(set.getSpec().getTemplate().getMetadata().getAnnotations());
    for (String restart : List.of(RESTART_NONCE, STALL_RESTARTS)) {
      annotations.remove(restart);
      if (started != null && started.containsKey(restart)) {
        annotations.put(restart, started.get(restart));
      }
    }
    return new StatefulSetBuilder(set)
        .editSpec()
        .editTemplate()
        .editMetadata()
        .withAnnotations(annotations)
        .endMetadata()
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * @param apiToken the token of the job's Secret as it is, or a new one when there is none
   */
  public static DesiredResources of(StateJob job, OperatorConfig operator, String apiToken) {
    RuntimeConfig runtimeConfig = RuntimeConfigMapBuilder.runtimeConfig(job, operator);
    ConfigMap config = RuntimeConfigMapBuilder.build(job, runtimeConfig);
    String hash = ConfigHash.of(config);
    return new DesiredResources(
        config,
        ApiTokenSecretBuilder.build(job, apiToken),
        operator.networkPolicies().map(p -> NetworkPolicyBuilder.build(job, p)).orElse(null),
        ServiceBuilders.coordinator(job),
        ServiceBuilders.workers(job),
        CoordinatorStatefulSetBuilder.build(job, operator, hash),
        WorkerStatefulSetBuilder.build(job, operator, hash, runtimeConfig));
  }

  /**
   * In the order they are applied: the policy before the pods it guards, config, token and services
   * before the pods that use them.
   */
  public List<HasMetadata> inApplyOrder() {
    return java.util.stream.Stream.<HasMetadata>of(
            networkPolicy,
            config,
            apiToken,
            coordinatorService,
            workerService,
            coordinator,
            workers)
        .filter(java.util.Objects::nonNull)
        .toList();
  }
}
