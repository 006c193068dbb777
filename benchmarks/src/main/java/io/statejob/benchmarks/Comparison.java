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
        "RESULT %s %s statejob=%.0f %s=%.0f ratio=%.2f",
        benchmark,
        backend,
        statejob,
        other,
        otherValue,
        ratio());
  }
}
