package io.statejob.runtime.execution;

/** The job failed for good: its restart attempts or its intact snapshots are used up. */
public final class JobFailedException extends Exception {
  public JobFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
