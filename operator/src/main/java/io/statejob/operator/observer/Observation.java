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
 */
public record Observation(
    Optional<Deployment> coordinator,
    Optional<StatefulSet> workers,
    Collection<Pod> pods,
    Optional<CheckpointsReport> checkpoints) {

  /** Why the job's pods cannot run, if one of them cannot. */
  public Optional<PodProblems.Problem> podProblem() {
    return PodProblems.of(pods);
  }

  public int readyWorkers() {
    return workers
        .map(
            s ->
                s.getStatus() == null || s.getStatus().getReadyReplicas() == null
                    ? 0
                    : s.getStatus().getReadyReplicas())
        .orElse(0);
  }

  public boolean coordinatorAvailable() {
    return coordinator
        .map(
            d ->
                d.getStatus() != null
                    && d.getStatus().getAvailableReplicas() != null
                    && d.getStatus().getAvailableReplicas() > 0)
        .orElse(false);
  }
}
