package io.statejob.runtime.execution;

/** The job failed for good: its restart attempts, its intact snapshots or its restore point. */
public final class JobFailedException extends Exception {
  /** Why, in the words status and events use. */
  public enum Reason {
    /** The restart strategy gave up: a new coordinator process may succeed, so its pod restarts. */
    RestartsExhausted(true),
    /** Storage has nothing as new as the latest checkpoint the operator knows of. */
    RestorePointMissing(false),
    /** Every snapshot to restore from has a damaged file. */
    SnapshotDamaged(false),
    /**
     * The state to restore does not fit the job: another serializer, key-group count or checkpoint
     * format, or state of a stage the job no longer has.
     */
    IncompatibleState(false),
    /**
     * Another coordinator of the job started and took its checkpoints over: this one must not run
     * it again, or the two would take turns.
     */
    CoordinatorSuperseded(false);

    private final boolean retriable;

    Reason(boolean retriable) {
      this.retriable = retriable;
    }

    /** Whether running the job again without a change can succeed. */
    public boolean retriable() {
      return retriable;
    }
  }

  private final Reason reason;

  public JobFailedException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
