package io.statejob.runtime.state;

/** The processing time states expire in: the worker's clock, or a test's. */
@FunctionalInterface
public interface TtlTimeProvider {
  TtlTimeProvider SYSTEM = System::currentTimeMillis;

  /** Milliseconds since the epoch. */
  long currentTimestamp();
}
