package io.statejob.runtime.connector;

/**
 * A generated event.
 *
 * @param sequence position in the generated sequence: the source offset
 * @param key one of the configured number of keys, e.g. {@code key-17}
 * @param value a number in [0, 1000)
 * @param timestamp event time in epoch millis: 10 ms per sequence step, less up to the disorder
 */
public record DatagenEvent(long sequence, String key, long value, long timestamp) {}
