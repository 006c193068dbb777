package io.statejob.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.statejob.api.model.JobPhase;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The conditions of a StateJob, set so that an unchanged condition keeps its transition time. */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String SPEC_VALID = "SpecValid";
  public static final String CHECKPOINTS_HEALTHY = "CheckpointsHealthy";

  private Conditions() {}

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** Sets condition {@code type}; the transition time moves only when the status changes. */
  static void set(
      List<Condition> conditions,
      String type,
      boolean status,
      String reason,
      String message,
      long generation,
      Instant now) {
    set(conditions, type, status ? "True" : "False", reason, message, generation, now);
  }

  static void set(
      List<Condition> conditions,
      String type,
      String status,
      String reason,
      String message,
      long generation,
      Instant now) {
    Optional<Condition> existing = find(conditions, type);
    String transition =
        existing
            .filter(c -> status.equals(c.getStatus()))
            .map(Condition::getLastTransitionTime)
            .orElse(now.toString());
    existing.ifPresent(conditions::remove);
    conditions.add(
        new ConditionBuilder()
            .withType(type)
            .withStatus(status)
            .withReason(reason)
            .withMessage(message)
            .withObservedGeneration(generation)
            .withLastTransitionTime(transition)
            .build());
    conditions.sort(java.util.Comparator.comparing(Condition::getType));
  }

  /** Whether a Ready reason just names the phase, as opposed to a failure or a problem. */
  public static boolean isPhase(String reason) {
    return Arrays.stream(JobPhase.values()).anyMatch(phase -> phase.name().equals(reason));
  }
}
