package io.statejob.runtime.serialization;

/**
 * A stored entry of a state with a time to live: the user's value and when it was last written (or
 * read, when reads restart the time to live).
 */
public record TtlValue<T>(T value, long lastAccessTimestamp) {}
