package io.statejob.runtime.state.ttl;

/**
 * A stored entry of a state with a time to live: the user's value and when it was last written (or
 * read, when reads restart the time to live).
 */
public record TtlValue<T>(T value, long lastAccessTimestamp) {}
