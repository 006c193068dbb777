package io.statejob.api.config;

import java.util.Optional;
import java.util.function.Function;

/**
 * A typed runtime configuration key with its default. Values are kept as strings in the YAML and
 * the StateJob spec, and parsed here so every consumer gets the same message for a bad value.
 *
 * @param <T> the parsed type
 */
public final class ConfigOption<T> {
  private final String key;
  private final T defaultValue;
  private final Function<String, T> parser;
  private final String description;

  private ConfigOption(String key, T defaultValue, Function<String, T> parser, String description) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.parser = parser;
    this.description = description;
  }

  public static ConfigOption<String> string(String key, String defaultValue, String description) {
    return new ConfigOption<>(key, defaultValue, Function.identity(), description);
  }

  public static ConfigOption<Boolean> bool(String key, boolean defaultValue, String description) {
    return new ConfigOption<>(key, defaultValue, ConfigValues::parseBoolean, description);
  }

  public static ConfigOption<Integer> integer(
      String key, Integer defaultValue, String description) {
    return new ConfigOption<>(key, defaultValue, ConfigValues::parseInt, description);
  }

  public static ConfigOption<Long> longValue(String key, Long defaultValue, String description) {
    return new ConfigOption<>(key, defaultValue, ConfigValues::parseLong, description);
  }

  public static ConfigOption<Double> number(String key, Double defaultValue, String description) {
    return new ConfigOption<>(key, defaultValue, ConfigValues::parseDouble, description);
  }

  public static ConfigOption<java.time.Duration> duration(
      String key, java.time.Duration defaultValue, String description) {
    return new ConfigOption<>(key, defaultValue, ConfigValues::parseDuration, description);
  }

  /** A size in bytes, written as a Kubernetes quantity (5Mi, 20Ki) or a plain number. */
  public static ConfigOption<Long> bytes(String key, Long defaultValue, String description) {
    return new ConfigOption<>(key, defaultValue, ConfigValues::parseBytes, description);
  }

  /**
   * This option, whose values must also pass {@code check}; a value that does not is refused with
   * {@code expectation} ("must be at least 1"), wherever it comes from.
   */
  public ConfigOption<T> requiring(java.util.function.Predicate<T> check, String expectation) {
    return new ConfigOption<>(
        key,
        defaultValue,
        raw -> {
          T value = parser.apply(raw);
          if (!check.test(value)) {
            throw new IllegalArgumentException(ConfigValues.quoted(raw) + " " + expectation);
          }
          return value;
        },
        description);
  }

  public String key() {
    return key;
  }

  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  public String description() {
    return description;
  }

  /**
   * Parses a raw value.
   *
   * @throws IllegalArgumentException naming the key, the value and the expected form
   */
  public T parse(String raw) {
    try {
      return parser.apply(raw.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return key;
  }
}
