package io.statejob.operator.observer;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.statejob.api.model.StateJob;
import io.statejob.operator.config.OperatorConfig;
import io.statejob.operator.resources.ResourceNames;
import java.util.Collection;
import java.util.Optional;

/** Reads the world of one job: its coordinator and worker StatefulSets, pods and checkpoints. */
public final class JobObserver {
  private final KubernetesClient client;
  private final OperatorConfig config;
  private final CoordinatorClient coordinatorClient;

  public JobObserver(
      KubernetesClient client, OperatorConfig config, CoordinatorClient coordinatorClient) {
    this.client = client;
    this.config = config;
    this.coordinatorClient = coordinatorClient;
  }

  /**
   * @param pods the job's pods, from the operator's pod informer
   * @param legacyCoordinator its coordinator Deployment, if an earlier operator version made one
   */
  public Observation observe(
      StateJob job, Collection<Pod> pods, Optional<Deployment> legacyCoordinator) {
    String namespace = job.getMetadata().getNamespace();
    Optional<StatefulSet> coordinator =
        Optional.ofNullable(
            client
                .apps()
                .statefulSets()
                .inNamespace(namespace)
                .withName(ResourceNames.coordinator(job))
                .get());
    Optional<StatefulSet> workers =
        Optional.ofNullable(
            client
                .apps()
                .statefulSets()
                .inNamespace(namespace)
                .withName(ResourceNames.workers(job))
                .get());
    return new Observation(
        coordinator,
        legacyCoordinator,
        workers,
        pods,
        coordinator.isEmpty() && legacyCoordinator.isEmpty()
            ? Optional.empty()
            : coordinatorClient.checkpoints(
                config.coordinatorUrl(namespace, job.getMetadata().getName())));
  }
}
