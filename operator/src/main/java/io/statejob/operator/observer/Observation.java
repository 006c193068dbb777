package io.statejob.operator.observer;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.statejob.api.protocol.CheckpointsReport;
import java.util.Collection;
import java.util.Optional;

/**
 * What the operator saw of a job before acting: its pods' controllers, its pods and its
 * coordinator.
 *
 * @param legacyCoordinator the coordinator Deployment of an earlier operator version, until the
 *     StatefulSet replaces it
 * @param api where the coordinator answers, with the job's API token
 */
public record Observation(
    CoordinatorApi api,
    Optional<StatefulSet> coordinator,
    Optional<Deployment> legacyCoordinator,
    Optional<StatefulSet> workers,
    Collection<Pod> pods,
    Optional<CheckpointsReport> checkpoints) {

  /** Why the job's pods cannot run, if one of them cannot. */
  public Optional<PodProblems.Problem> podProblem() {
    return PodProblems.of(pods);
  }

  /** Whether a coordinator exists to ask about checkpoints and savepoints. */
  public boolean hasCoordinator() {
    return coordinator.isPresent() || legacyCoordinator.isPresent();
  }

  public int readyWorkers() {
    return workers.map(s -> readyReplicas(s)).orElse(0);
  }

  public boolean coordinatorAvailable() {
    return coordinator.map(s -> readyReplicas(s) > 0).orElse(false)
        || legacyCoordinator
            .map(
                d ->
                    d.getStatus() != null
                        && d.getStatus().getAvailableReplicas() != null
                        && d.getStatus().getAvailableReplicas() > 0)
            .orElse(false);
  }

  private static int readyReplicas(StatefulSet set) {
    return set.getStatus() == null || set.getStatus().getReadyReplicas() == null
        ? 0
        : set.getStatus().getReadyReplicas();
  }
}
