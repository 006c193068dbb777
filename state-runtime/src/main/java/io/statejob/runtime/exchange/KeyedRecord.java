package io.statejob.runtime.exchange;

/**
 * A record on its way to the worker that owns its key group, with its event timestamp ({@link
 * Long#MIN_VALUE} when it has none), which windows and timers there need. The sender computed the
 * key group to route it; the receiver uses it instead of hashing the key again.
 */
public record KeyedRecord(long timestamp, int keyGroup, Object value) implements StageInput.Item {}
