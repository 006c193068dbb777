package io.statejob.runtime.api.eventtime;

/** Extracts a record's event timestamp (epoch millis). */
@FunctionalInterface
public interface TimestampAssigner<T> {
  long extractTimestamp(T record);
}
