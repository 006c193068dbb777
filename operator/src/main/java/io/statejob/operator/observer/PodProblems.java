package io.statejob.operator.observer;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Why a job's pods cannot run, read from their status as kubelet and scheduler write it: what
 * {@code kubectl describe pod} would show a person, put into the job's status instead.
 */
public final class PodProblems {
  /** Waiting reasons that no waiting cures: the pod's spec or image must change. */
  private static final Set<String> STUCK_WAITING =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError");

  private PodProblems() {}

  /**
   * @param reason one word for status and events: {@code ImagePullBackOff}, {@code
   *     CrashLoopBackOff}, {@code OOMKilled}, {@code Unschedulable}, ...
   * @param message the pod, and what Kubernetes said
   */
  public record Problem(String reason, String message) {}

  /** The first problem among {@code pods}, in the order of their names. */
  public static Optional<Problem> of(Collection<Pod> pods) {
    return pods.stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .map(PodProblems::of)
        .flatMap(Optional::stream)
        .findFirst();
  }

  static Optional<Problem> of(Pod pod) {
    String name = "pod " + pod.getMetadata().getName() + ": ";
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    Optional<Problem> unschedulable =
        nonNull(pod.getStatus().getConditions()).stream()
            .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
            .filter(c -> "Unschedulable".equals(c.getReason()))
            .findFirst()
            .map(c -> new Problem("Unschedulable", name + messageOf(c)));
    if (unschedulable.isPresent()) {
      return unschedulable;
    }
    for (ContainerStatus container : nonNull(pod.getStatus().getContainerStatuses())) {
      Optional<Problem> problem = of(name + "container " + container.getName() + ": ", container);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<Problem> of(String where, ContainerStatus container) {
    ContainerStateWaiting waiting =
        container.getState() == null ? null : container.getState().getWaiting();
    ContainerStateTerminated current =
        container.getState() == null ? null : container.getState().getTerminated();
    ContainerStateTerminated last =
        container.getLastState() == null ? null : container.getLastState().getTerminated();
    ContainerStateTerminated terminated = current != null ? current : last;
    if (terminated != null && "OOMKilled".equals(terminated.getReason())) {
      return Optional.of(
          new Problem(
              "OOMKilled",
              where
                  + "killed for using more memory than its limit"
                  + restarts(container)
                  + "; raise spec.resources or lower the heap and state in memory"));
    }
    if (waiting == null || waiting.getReason() == null) {
      return Optional.empty();
    }
    if (STUCK_WAITING.contains(waiting.getReason())) {
      return Optional.of(new Problem(waiting.getReason(), where + orEmpty(waiting.getMessage())));
    }
    if ("CrashLoopBackOff".equals(waiting.getReason())) {
      return Optional.of(
          new Problem(
              "CrashLoopBackOff",
              where
                  + "keeps exiting"
                  + restarts(container)
                  + (last == null ? "" : "; last exit: " + describe(last))));
    }
    return Optional.empty();
  }

  private static String describe(ContainerStateTerminated terminated) {
    String message = orEmpty(terminated.getMessage()).strip();
    return "code "
        + terminated.getExitCode()
        + (terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")")
        + (message.isEmpty() ? "" : ": " + message);
  }

  private static String restarts(ContainerStatus container) {
    Integer count = container.getRestartCount();
    return count == null || count == 0 ? "" : " (" + count + " restarts)";
  }

  private static String messageOf(PodCondition condition) {
    return orEmpty(condition.getMessage());
  }

  private static String orEmpty(String text) {
    return text == null ? "" : text;
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
