package io.statejob.runtime.exchange;

/**
 * A record on its way to the next stage, with its event timestamp ({@link Long#MIN_VALUE} when it
 * has none), which windows and timers downstream need.
 */
public record TimestampedRecord(long timestamp, Object value) {}
