package io.statejob.runtime.snapshot;

/**
 * The state to restore does not fit the job as it is now: another serializer, a stage or operator
 * state the job no longer has, another number of key groups. Every restart would fail the same way,
 * so the job stops at once with the reason instead of restarting.
 */
public final class IncompatibleStateException extends IllegalStateException {
  public IncompatibleStateException(String message) {
    super(message);
  }

  public IncompatibleStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
