package io.statejob.runtime.api.state;

import java.time.Duration;
import java.util.Objects;

/**
 * How long keyed state lives, as Flink's {@code StateTtlConfig}: set on a descriptor with {@link
 * StateDescriptor#enableTimeToLive}. An entry (a value, a list element, a map entry) expires {@code
 * ttl} after it was last written, or last read too with {@link UpdateType#OnReadAndWrite}; time is
 * processing time, the worker's clock. An expired entry is removed when it is accessed, or when the
 * incremental cleanup visits it, and is never returned, unless {@link
 * StateVisibility#ReturnExpiredIfNotCleanedUp} asks for it until it is removed. Window contents and
 * timers cannot expire: they clean themselves.
 *
 * <pre>{@code
 * ValueStateDescriptor<Long> seen = new ValueStateDescriptor<>("seen", Serializers.LONG);
 * seen.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMinutes(30)).build());
 * }</pre>
 */
public final class StateTtlConfig {
  /** Entries visited for expiry at each access, as Flink's incremental cleanup by default. */
  public static final int DEFAULT_CLEANUP_SIZE = 5;

  /** What restarts an entry's time to live. */
  public enum UpdateType {
    /** Writes only: {@code update}, {@code add}, {@code put} (the default). */
    OnCreateAndWrite,
    /** Reads too. */
    OnReadAndWrite
  }

  /** Whether an expired entry that is still stored may be returned. */
  public enum StateVisibility {
    /** Never: an expired entry reads as absent (the default). */
    NeverReturnExpired,
    /** Returned by the read that finds it, which also removes it. */
    ReturnExpiredIfNotCleanedUp
  }

  /** The time entries expire in. Only processing time, as in Flink. */
  public enum TtlTimeCharacteristic {
    ProcessingTime
  }

  private final Duration ttl;
  private final UpdateType updateType;
  private final StateVisibility stateVisibility;
  private final TtlTimeCharacteristic timeCharacteristic;
  private final int cleanupSize;

  private StateTtlConfig(Builder builder) {
    this.ttl = builder.ttl;
    this.updateType = builder.updateType;
    this.stateVisibility = builder.stateVisibility;
    this.timeCharacteristic = builder.timeCharacteristic;
    this.cleanupSize = builder.cleanupSize;
  }

  /** A configuration whose entries live {@code ttl} (at least a millisecond). */
  public static Builder newBuilder(Duration ttl) {
    return new Builder(ttl);
  }

  public Duration ttl() {
    return ttl;
  }

  public UpdateType updateType() {
    return updateType;
  }

  public StateVisibility stateVisibility() {
    return stateVisibility;
  }

  public TtlTimeCharacteristic timeCharacteristic() {
    return timeCharacteristic;
  }

  /**
   * Entries of the state visited for expiry at each access to it, besides the one accessed: 0 when
   * expired entries go only when read.
   */
  public int cleanupSize() {
    return cleanupSize;
  }

  @Override
  public String toString() {
    return "StateTtlConfig{ttl="
        + ttl
        + ", updateType="
        + updateType
        + ", stateVisibility="
        + stateVisibility
        + ", timeCharacteristic="
        + timeCharacteristic
        + ", cleanupSize="
        + cleanupSize
        + "}";
  }

  /** Builds a {@link StateTtlConfig}. */
  public static final class Builder {
    private final Duration ttl;
    private UpdateType updateType = UpdateType.OnCreateAndWrite;
    private StateVisibility stateVisibility = StateVisibility.NeverReturnExpired;
    private TtlTimeCharacteristic timeCharacteristic = TtlTimeCharacteristic.ProcessingTime;
    private int cleanupSize = DEFAULT_CLEANUP_SIZE;

    private Builder(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.toMillis() < 1) {
        throw new IllegalArgumentException("a state's time to live must be at least 1 ms: " + ttl);
      }
      this.ttl = ttl;
    }

    public Builder setUpdateType(UpdateType updateType) {
      this.updateType = Objects.requireNonNull(updateType, "updateType");
      return this;
    }

    public Builder updateTtlOnCreateAndWrite() {
      return setUpdateType(UpdateType.OnCreateAndWrite);
    }

    public Builder updateTtlOnReadAndWrite() {
      return setUpdateType(UpdateType.OnReadAndWrite);
    }

    public Builder setStateVisibility(StateVisibility stateVisibility) {
      this.stateVisibility = Objects.requireNonNull(stateVisibility, "stateVisibility");
      return this;
    }

    public Builder neverReturnExpired() {
      return setStateVisibility(StateVisibility.NeverReturnExpired);
    }

    public Builder returnExpiredIfNotCleanedUp() {
      return setStateVisibility(StateVisibility.ReturnExpiredIfNotCleanedUp);
    }

    public Builder setTtlTimeCharacteristic(TtlTimeCharacteristic timeCharacteristic) {
      this.timeCharacteristic = Objects.requireNonNull(timeCharacteristic, "timeCharacteristic");
      return this;
    }

    public Builder useProcessingTime() {
      return setTtlTimeCharacteristic(TtlTimeCharacteristic.ProcessingTime);
    }

    /**
     * Visits {@code cleanupSize} more entries of the state at each access to it and removes the
     * expired ones, so keys never read again go too (Flink's {@code cleanupIncrementally}; on
     * RocksDB the visits are made in batches of a few hundred rows). The default is {@value
     * #DEFAULT_CLEANUP_SIZE}.
     */
    public Builder cleanupIncrementally(int cleanupSize) {
      if (cleanupSize < 0) {
        throw new IllegalArgumentException("cleanupSize must not be negative: " + cleanupSize);
      }
      this.cleanupSize = cleanupSize;
      return this;
    }

    /** Expired entries go only when read. */
    public Builder disableCleanupInBackground() {
      return cleanupIncrementally(0);
    }

    public StateTtlConfig build() {
      return new StateTtlConfig(this);
    }
  }
}
