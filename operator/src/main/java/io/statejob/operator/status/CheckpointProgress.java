package io.statejob.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.statejob.api.config.ConfigValues;
import io.statejob.api.model.CheckpointsStatus;
import io.statejob.api.model.JobPhase;
import io.statejob.api.model.StallsStatus;
import io.statejob.api.model.StateJobStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Whether a running job's checkpoints progress. A hung source or a stuck barrier leaves a job
 * running that completes no checkpoint; when none completed for {@code checkpoints.maxAge}, the job
 * is restarted from its latest checkpoint (the pods roll), at most {@link #MAX_RESTARTS} times in
 * {@link #WINDOW}, then marked Failed.
 */
public final class CheckpointProgress {
  static final int MAX_RESTARTS = 3;
  static final Duration WINDOW = Duration.ofHours(1);
  static final String STALLED = "CheckpointsStalled";

  private CheckpointProgress() {}

  /**
   * {@code spec.checkpoints.maxAge}; else ten checkpoint intervals, but never less than the
   * checkpoint timeout and an interval: a checkpoint may take that long and still be healthy.
   */
  public static Duration maxAge(String configured, Duration interval, Duration timeout) {
    if (configured != null) {
      return ConfigValues.parseDuration(configured);
    }
    Duration tenIntervals = interval.multipliedBy(10);
    Duration slowestHealthy = timeout.plus(interval);
    return tenIntervals.compareTo(slowestHealthy) >= 0 ? tenIntervals : slowestHealthy;
  }

  /**
   * Checks a job's next status, whose phase is computed, and records a restart or the end of them
   * in it.
   */
  static void check(StateJobStatus next, Duration maxAge, long generation, Instant now) {
    if (next.phase != JobPhase.Running) {
      return;
    }
    StallsStatus stalls = next.stalls == null ? new StallsStatus() : next.stalls;
    stalls.recent.removeIf(at -> parse(at).map(t -> t.isBefore(now.minus(WINDOW))).orElse(true));
    Optional<Instant> progress = lastProgress(next, stalls);
    if (progress.isEmpty() || !progress.get().plus(maxAge).isBefore(now)) {
      return;
    }
    String stalledFor =
        "no checkpoint completed for "
            + Duration.between(progress.get(), now).toSeconds()
            + " s (checkpoints.maxAge "
            + maxAge.toSeconds()
            + " s)";
    Conditions.set(
        next.conditions,
        Conditions.CHECKPOINTS_HEALTHY,
        false,
        "Stalled",
        stalledFor,
        generation,
        now);
    if (stalls.recent.size() >= MAX_RESTARTS) {
      next.phase = JobPhase.Failed;
      Conditions.set(
          next.conditions,
          Conditions.READY,
          false,
          STALLED,
          stalledFor
              + " after "
              + MAX_RESTARTS
              + " restarts within "
              + WINDOW.toMinutes()
              + " min; the job is left as it is: find what holds its sources or barriers",
          generation,
          now);
      return;
    }
    stalls.restarts = (stalls.restarts == null ? 0 : stalls.restarts) + 1;
    stalls.recent.add(now.toString());
    next.stalls = stalls;
  }

  /**
   * The latest sign of progress: a completed checkpoint, a restore, the job becoming ready, or the
   * last stall restart (its pods may be ready before the status says they were not).
   */
  private static Optional<Instant> lastProgress(StateJobStatus status, StallsStatus stalls) {
    CheckpointsStatus checkpoints = status.checkpoints;
    Stream<String> times =
        Stream.of(
            checkpoints == null || checkpoints.latest == null
                ? null
                : checkpoints.latest.completedAt,
            checkpoints == null || checkpoints.restoredFrom == null
                ? null
                : checkpoints.restoredFrom.at,
            Conditions.find(status.conditions, Conditions.READY)
                .filter(c -> "True".equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .orElse(null),
            stalls.recent.isEmpty() ? null : stalls.recent.get(stalls.recent.size() - 1));
    return times.flatMap(t -> parse(t).stream()).max(Instant::compareTo);
  }

  /** A time status holds (RFC 3339), unless it has none or one no operator wrote. */
  public static Optional<Instant> parse(String time) {
    try {
      return time == null ? Optional.empty() : Optional.of(Instant.parse(time));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
