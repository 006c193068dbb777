package io.statejob.runtime.connector.kafka;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Where a Kafka source starts reading a partition when no checkpoint holds its offset, as Flink's
 * {@code OffsetsInitializer}. A restored job always resumes from its checkpoint instead.
 */
public sealed interface KafkaStart {
  /** The first offset the partition still has. */
  record Earliest() implements KafkaStart {}

  /** The end of the partition when the job starts: only records written afterwards. */
  record Latest() implements KafkaStart {}

  /** The consumer group's committed offset; earliest for a partition the group has none for. */
  record Committed() implements KafkaStart {}

  /** The first record with a timestamp at or after {@code epochMillis}; the end when none. */
  record Timestamp(long epochMillis) implements KafkaStart {}

  KafkaStart EARLIEST = new Earliest();
  KafkaStart LATEST = new Latest();
  KafkaStart COMMITTED = new Committed();

  /**
   * From job argument {@code --start}: {@code earliest}, {@code latest}, {@code committed}, epoch
   * milliseconds, or an ISO-8601 instant such as {@code 2026-11-29T08:00:00Z}.
   */
  static KafkaStart parse(String value) {
    switch (value) {
      case "earliest":
        return EARLIEST;
      case "latest":
        return LATEST;
      case "committed":
        return COMMITTED;
      default:
        break;
    }
    try {
      return new Timestamp(Long.parseLong(value));
    } catch (NumberFormatException notMillis) {
      try {
        return new Timestamp(Instant.parse(value).toEpochMilli());
      } catch (DateTimeParseException notInstant) {
        throw new IllegalArgumentException(
            "job argument --start: '"
                + value
                + "' is not earliest, latest, committed, epoch milliseconds or an ISO-8601 instant");
      }
    }
  }
}
