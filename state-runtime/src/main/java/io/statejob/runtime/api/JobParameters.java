package io.statejob.runtime.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The program's arguments ({@code spec.job.args}) in {@code --name value} form. */
public final class JobParameters {
  private final Map<String, String> values;

  private JobParameters(Map<String, String> values) {
    this.values = values;
  }

  public static JobParameters fromArgs(List<String> args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new IllegalArgumentException(
            "job argument '" + arg + "' is not of the form --name value");
      }
      boolean hasValue = i + 1 < args.size() && !args.get(i + 1).startsWith("--");
      values.put(arg.substring(2), hasValue ? args.get(++i) : "true");
    }
    return new JobParameters(values);
  }

  public String get(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  public long getLong(String name, long defaultValue) {
    String raw = values.get(name);
    if (raw == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(raw.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "job argument --" + name + ": '" + raw + "' is not a number");
    }
  }

  public Map<String, String> asMap() {
    return Map.copyOf(values);
  }
}
