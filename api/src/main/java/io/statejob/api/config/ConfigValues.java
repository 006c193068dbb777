package io.statejob.api.config;

import io.fabric8.kubernetes.api.model.Duration;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.text.ParseException;
import java.util.Locale;

/** Parsers for the value forms used in runtime configuration and the StateJob spec. */
public final class ConfigValues {
  private ConfigValues() {}

  public static boolean parseBoolean(String raw) {
    return switch (raw.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(quoted(raw) + " is not true or false");
    };
  }

  public static int parseInt(String raw) {
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(quoted(raw) + " is not a whole number");
    }
  }

  public static long parseLong(String raw) {
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(quoted(raw) + " is not a whole number");
    }
  }

  public static double parseDouble(String raw) {
    try {
      return Double.parseDouble(raw);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(quoted(raw) + " is not a number");
    }
  }

  /** A Kubernetes-style duration: 500ms, 30s, 5m, 1h30m. A leading minus sign is kept. */
  public static java.time.Duration parseDuration(String raw) {
    boolean negative = raw.startsWith("-");
    String body = negative ? raw.substring(1) : raw;
    try {
      java.time.Duration parsed = Duration.parse(body).getDuration();
      return negative ? parsed.negated() : parsed;
    } catch (ParseException | RuntimeException e) {
      throw new IllegalArgumentException(
          quoted(raw) + " is not a duration (use forms like 500ms, 30s, 5m, 1h)");
    }
  }

  /** A byte size as a Kubernetes quantity (5Mi, 20Ki, 1G) or a plain number of bytes. */
  public static long parseBytes(String raw) {
    try {
      BigDecimal bytes = Quantity.getAmountInBytes(new Quantity(raw));
      if (bytes.signum() < 0) {
        throw new IllegalArgumentException(quoted(raw) + " is negative");
      }
      return bytes.longValueExact();
    } catch (ArithmeticException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          quoted(raw) + " is not a byte size (use forms like 512Ki, 5Mi, 1Gi)");
    }
  }

  /**
   * {@code raw} in quotes for a message, shortened when long: a message should name a value, not
   * repeat a megabyte of it.
   */
  public static String quoted(String raw) {
    return raw.length() <= 80
        ? "'" + raw + "'"
        : "'" + raw.substring(0, 40) + "…' (" + raw.length() + " characters)";
  }

  /** Bytes in a short human form (1.5 MiB), for messages and progress lines. */
  public static String formatBytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
