package io.statejob.runtime.state.ttl;

import io.statejob.runtime.api.state.StateTtlConfig;

/** One state's time-to-live rules applied to stored entries: when one has expired, and stamping. */
final class TtlPolicy {
  private final long ttlMillis;
  private final boolean updateOnRead;
  private final boolean returnExpired;
  private final TtlTimeProvider clock;

  TtlPolicy(StateTtlConfig config, TtlTimeProvider clock) {
    this.ttlMillis = config.ttl().toMillis();
    this.updateOnRead = config.updateType() == StateTtlConfig.UpdateType.OnReadAndWrite;
    this.returnExpired =
        config.stateVisibility() == StateTtlConfig.StateVisibility.ReturnExpiredIfNotCleanedUp;
    this.clock = clock;
  }

  boolean expired(TtlValue<?> entry) {
    // a difference, not lastAccess + ttl, which overflows for a ttl near Long.MAX_VALUE
    return clock.currentTimestamp() - entry.lastAccessTimestamp() >= ttlMillis;
  }

  <T> TtlValue<T> stamped(T value) {
    return new TtlValue<>(value, clock.currentTimestamp());
  }

  /** Whether a read restarts an entry's time to live. */
  boolean updateOnRead() {
    return updateOnRead;
  }

  /** Whether the read that finds an expired entry still returns it. */
  boolean returnExpired() {
    return returnExpired;
  }
}
