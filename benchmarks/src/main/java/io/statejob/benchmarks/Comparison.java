package io.statejob.benchmarks;

import java.util.Locale;

/**
 * One figure measured for StateJob and for another system in the same run; higher is better. Prints
 * as {@code RESULT <benchmark> <backend> statejob=<v> <other>=<v> ratio=<statejob/other>}.
 */
public record Comparison(
    String benchmark, String backend, double statejob, String other, double otherValue) {

  public double ratio() {
    return statejob / otherValue;
  }

  public String resultLine() {
    return String.format(
        Locale.ROOT,
        "RESULT %s %s statejob=%s %s=%s ratio=%.2f",
        benchmark,
        backend,
        figure(statejob),
        other,
        figure(otherValue),
        ratio());
  }

  /** Whole numbers from 1,000 up (events/s), one decimal below (ops/ms). */
  static String figure(double value) {
    return String.format(Locale.ROOT, value >= 1000 ? "%.0f" : "%.1f", value);
  }
}
