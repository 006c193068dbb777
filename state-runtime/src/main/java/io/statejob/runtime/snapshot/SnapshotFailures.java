package io.statejob.runtime.snapshot;

import java.util.Optional;

/**
 * What a failure says about the snapshot it came from: failures arrive wrapped (by the stage, the
 * worker, the coordinator's gateway), so each question looks through all of the causes.
 */
public final class SnapshotFailures {
  private SnapshotFailures() {}

  /** The first of {@code failure} and its causes that is a {@code type}. */
  public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }

  /** State that does not fit the job, or a checkpoint format this runtime cannot read. */
  public static Optional<Exception> incompatibility(Throwable failure) {
    Optional<Exception> state = find(failure, IncompatibleStateException.class).map(e -> e);
    return state.or(() -> find(failure, UnsupportedCheckpointFormatException.class));
  }
}
