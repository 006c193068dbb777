package io.statejob.runtime.state.ttl;

import io.statejob.runtime.api.state.StateTtlConfig;
import io.statejob.runtime.serialization.TtlValue;
import io.statejob.runtime.state.TtlTimeProvider;
import java.util.function.Consumer;

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
    return expiredAt(entry.lastAccessTimestamp());
  }

  /** Whether an entry last written (or read) at {@code timestamp} has expired. */
  boolean expiredAt(long timestamp) {
    // a difference, not timestamp + ttl, which overflows for a ttl near Long.MAX_VALUE
    return clock.currentTimestamp() - timestamp >= ttlMillis;
  }

  <T> TtlValue<T> stamped(T value) {
    return new TtlValue<>(value, clock.currentTimestamp());
  }

  /**
   * What a read of {@code entry} returns: null when absent, or when expired (unless expired entries
   * are returned); an expired entry is removed, a live one re-stamped when reads restart the time
   * to live.
   */
  <T> T read(TtlValue<T> entry, Runnable remove, Consumer<TtlValue<T>> restamp) {
    if (entry == null) {
      return null;
    }
    if (expired(entry)) {
      remove.run();
      return returnExpired ? entry.value() : null;
    }
    if (updateOnRead) {
      restamp.accept(stamped(entry.value()));
    }
    return entry.value();
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
