package io.statejob.runtime.connector.kafka;

import java.util.Locale;

/** What the Kafka sink promises about each record, as Flink's {@code DeliveryGuarantee}. */
public enum DeliveryGuarantee {
  /**
   * Every record once in what {@code read_committed} consumers see: records are written in a
   * transaction per checkpoint, committed when the checkpoint completes. Output shows up a
   * checkpoint interval late.
   */
  EXACTLY_ONCE,
  /** Every record at least once: the sink flushes at each checkpoint; a replay writes again. */
  AT_LEAST_ONCE,
  /** Records are handed to the producer; a failure may lose or repeat some. */
  NONE;

  /** As job argument {@code --delivery} names it: {@code exactly-once}, ... */
  public String argument() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** From job argument {@code --delivery exactly-once|at-least-once|none}. */
  public static DeliveryGuarantee parse(String value) {
    try {
      return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "job argument --delivery: '" + value + "' is not exactly-once, at-least-once or none");
    }
  }
}
