package io.statejob.runtime.execution;

/**
 * The job's program cannot be loaded: its class or jar is missing, or the class is no {@code
 * StateJobProgram}. No restart of the process changes that.
 */
public final class ProgramNotFoundException extends IllegalArgumentException {
  public ProgramNotFoundException(String message) {
    super(message);
  }
}
