package io.statejob.api.config;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An immutable set of runtime configuration values. Layers are combined with {@link #overriddenBy},
 * lowest precedence first: built-in defaults, cluster config, spec, flags.
 */
public final class RuntimeConfig {
  private static final Pattern SENSITIVE =
      Pattern.compile("secret|password|token|credential|session\\.key|jaas|keystore\\.key");

  private final Map<String, String> values;

  private RuntimeConfig(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  public static RuntimeConfig empty() {
    return new RuntimeConfig(Map.of());
  }

  /**
   * The values of one layer. A key in Flink's newer spelling ({@code state.backend.type}) is stored
   * under the name the runtime knows it by ({@code state.backend}); when a layer has both, the
   * runtime's own name wins.
   */
  public static RuntimeConfig of(Map<String, String> values) {
    Map<String, String> canonical = new TreeMap<>();
    values.forEach(
        (key, value) -> {
          String name = RuntimeOptions.canonicalKey(key);
          if (name.equals(key) || !values.containsKey(name)) {
            canonical.put(name, value);
          }
        });
    return new RuntimeConfig(canonical);
  }

  /** This config with every key of {@code higher} taking precedence. */
  public RuntimeConfig overriddenBy(RuntimeConfig higher) {
    Map<String, String> merged = new TreeMap<>(values);
    merged.putAll(higher.values);
    return new RuntimeConfig(merged);
  }

  public RuntimeConfig with(ConfigOption<?> option, String value) {
    return overriddenBy(of(Map.of(option.key(), value)));
  }

  /** The value of {@code option}, or its default. */
  public <T> T get(ConfigOption<T> option) {
    return getOptional(option)
        .or(option::defaultValue)
        .orElseThrow(() -> new IllegalArgumentException(option.key() + " is not set"));
  }

  /** The value set for {@code option}, ignoring its default. */
  public <T> Optional<T> getOptional(ConfigOption<T> option) {
    String raw = values.get(option.key());
    return raw == null ? Optional.empty() : Optional.of(option.parse(raw));
  }

  public Optional<String> getRaw(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /** Every key with the given prefix, e.g. {@code fs.s3a.}. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> result = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            result.put(k, v);
          }
        });
    return result;
  }

  public Map<String, String> asMap() {
    return values;
  }

  /** Keys that no option or known key family names: likely typos. */
  public List<String> unknownKeys() {
    return values.keySet().stream().filter(k -> !RuntimeOptions.isKnown(k)).toList();
  }

  /**
   * One message per unknown key under the runtime's own prefixes ({@code state.}, {@code
   * execution.}, ...), with the known key it was likely meant to be: errors, as such a key would
   * otherwise be silently ignored.
   */
  public List<String> unknownOwnKeys() {
    return unknownKeys().stream()
        .filter(RuntimeOptions::isUnderOwnPrefix)
        .map(
            key ->
                key
                    + ": unknown runtime configuration key"
                    + RuntimeOptions.nearestKnownKey(key)
                        .map(known -> "; did you mean " + known + "?")
                        .orElse(""))
        .toList();
  }

  /** Every key whose value fails to parse, with the reason. */
  public List<String> invalidValues() {
    return values.entrySet().stream()
        .flatMap(
            e ->
                RuntimeOptions.byKey(e.getKey()).stream()
                    .flatMap(
                        option -> {
                          try {
                            option.parse(e.getValue());
                            return java.util.stream.Stream.empty();
                          } catch (IllegalArgumentException ex) {
                            return java.util.stream.Stream.of(ex.getMessage());
                          }
                        }))
        .toList();
  }

  /** The values with secrets replaced, safe for logs and dumps. */
  public Map<String, String> masked() {
    Map<String, String> result = new TreeMap<>();
    values.forEach((k, v) -> result.put(k, isSensitive(k) ? "******" : v));
    return result;
  }

  public static boolean isSensitive(String key) {
    return SENSITIVE.matcher(key.toLowerCase(Locale.ROOT)).find();
  }

  @Override
  public String toString() {
    return masked().toString();
  }
}
