package io.statejob.operator.status;

import io.statejob.api.model.CheckpointsStatus;
import io.statejob.api.model.CheckpointsStatus.CoordinatorCounts;
import java.util.Objects;

/**
 * Checkpoint counts over the life of a job. A coordinator counts from zero when it starts; status
 * adds what the current one counted since it was last seen to the totals, so a coordinator restart
 * (an upgrade, a rescale, a lost pod) never resets them.
 */
final class CheckpointCounts {
  private CheckpointCounts() {}

  /**
   * @param previous the status's checkpoints before this report, or null
   * @param next the coordinator's report, whose counts are its own; made totals here
   * @param coordinatorStartedAt when the reporting coordinator started; null from one that does not
   *     say, whose counts are taken as they are
   */
  static void continueFrom(
      CheckpointsStatus previous, CheckpointsStatus next, String coordinatorStartedAt) {
    if (coordinatorStartedAt == null) {
      return;
    }
    CoordinatorCounts now = new CoordinatorCounts();
    now.startedAt = coordinatorStartedAt;
    now.completed = orZero(next.completed);
    now.failed = orZero(next.failed);
    CoordinatorCounts seen = previous == null ? null : previous.coordinator;
    boolean sameCoordinator = seen != null && Objects.equals(seen.startedAt, now.startedAt);
    if (previous == null || previous.completed == null) {
      // the first report: its counts are all there are
    } else if (sameCoordinator) {
      next.completed = previous.completed + now.completed - orZero(seen.completed);
      next.failed = orZero(previous.failed) + now.failed - orZero(seen.failed);
    } else if (seen == null) {
      // written by an operator that kept no coordinator counts: its totals were this one's
      next.completed = Math.max(previous.completed, now.completed);
      next.failed = Math.max(orZero(previous.failed), now.failed);
    } else {
      next.completed = previous.completed + now.completed;
      next.failed = orZero(previous.failed) + now.failed;
    }
    next.coordinator = now;
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
