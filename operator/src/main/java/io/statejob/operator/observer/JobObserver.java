package io.statejob.operator.observer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.statejob.api.model.StateJob;
import io.statejob.operator.config.OperatorConfig;
import io.statejob.operator.resources.ApiTokenSecretBuilder;
import io.statejob.operator.resources.ResourceNames;
import java.util.Optional;

/**
 * Reads the world of one job: its coordinator and worker StatefulSets, pods and API token from the
 * operator's informer caches (no API call), and its checkpoints from the coordinator.
 */
public final class JobObserver {
  private final OperatorConfig config;
  private final CoordinatorClient coordinatorClient;

  public JobObserver(OperatorConfig config, CoordinatorClient coordinatorClient) {
    this.config = config;
    this.coordinatorClient = coordinatorClient;
  }

  public Observation observe(StateJob job, Context<StateJob> context) {
    Optional<StatefulSet> coordinator =
        cached(context, StatefulSet.class, ResourceNames.coordinator(job));
    // a Deployment of that name is one an earlier operator version made
    Optional<Deployment> legacyCoordinator =
        cached(context, Deployment.class, ResourceNames.coordinator(job));
    CoordinatorApi api =
        new CoordinatorApi(
            config.coordinatorUrl(job.getMetadata().getNamespace(), job.getMetadata().getName()),
            cached(context, Secret.class, ResourceNames.apiToken(job))
                .flatMap(ApiTokenSecretBuilder::tokenOf));
    return new Observation(
        api,
        coordinator,
        legacyCoordinator,
        cached(context, StatefulSet.class, ResourceNames.workers(job)),
        context.getSecondaryResources(Pod.class),
        coordinator.isEmpty() && legacyCoordinator.isEmpty()
            ? Optional.empty()
            : coordinatorClient.checkpoints(api.url()));
  }

  /** The owned object of {@code type} named {@code name}, as the informer last saw it. */
  public static <T extends HasMetadata> Optional<T> cached(
      Context<StateJob> context, Class<T> type, String name) {
    return context.getSecondaryResources(type).stream()
        .filter(resource -> resource.getMetadata().getName().equals(name))
        .findFirst();
  }
}
