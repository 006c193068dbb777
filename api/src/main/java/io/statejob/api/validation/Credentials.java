package io.statejob.api.validation;

import io.statejob.api.model.StateJobSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials have no place in a StateJob: the operator copies the spec into the job's ConfigMap,
 * which anyone who may read ConfigMaps reads, and status and events repeat what they refuse. A
 * refused value is never shown.
 */
final class Credentials {
  private static final String WAY_OUT =
      " (value not shown); S3 credentials go in the Secret named by"
          + " spec.storage.s3.credentialsSecret, others in a Secret of the pod template, referenced"
          + " as ${env:NAME} or ${file:/path:key}";

  /** A JAAS login module option, {@code name="value"}: JAAS quotes every value. */
  private static final Pattern JAAS_OPTION = Pattern.compile("([\\w.-]+)\\s*=\\s*\"([^\"]*)\"");

  /** A secret option without quotes: no valid JAAS, but a secret in clear all the same. */
  private static final Pattern UNQUOTED_SECRET_OPTION =
      Pattern.compile("(?i)(password|secret|token)[\\w.-]*\\s*=\\s*[^\"\\s]");

  private Credentials() {}

  /** Adds an error for each credential in {@code spec}; returns whether it found one. */
  static boolean refuse(StateJobSpec spec, List<String> errors) {
    int before = errors.size();
    if (spec.config != null) {
      for (Map.Entry<String, String> entry : spec.config.entrySet()) {
        String value = entry.getValue() == null ? "" : entry.getValue();
        if (isSecretKey(entry.getKey()) && !onlyReferences(entry.getKey(), value)) {
          errors.add("spec.config." + entry.getKey() + ": a credential, stored in clear" + WAY_OUT);
        } else if (hasUserInfo(value)) {
          errors.add("spec.config." + entry.getKey() + ": " + USER_INFO + WAY_OUT);
        }
      }
    }
    checkUri(
        "spec.checkpoints.uri", spec.checkpoints == null ? null : spec.checkpoints.uri, errors);
    checkUri("spec.restore.path", spec.restore == null ? null : spec.restore.path, errors);
    checkUri("spec.job.jarURI", spec.job == null ? null : spec.job.jarURI, errors);
    checkUri(
        "spec.storage.s3.endpoint",
        spec.storage == null || spec.storage.s3 == null ? null : spec.storage.s3.endpoint,
        errors);
    return errors.size() > before;
  }

  private static final String USER_INFO =
      "a URI with credentials (user:password@), stored in clear";

  private static void checkUri(String field, String uri, List<String> errors) {
    if (uri != null && hasUserInfo(uri)) {
      errors.add(field + ": " + USER_INFO + WAY_OUT);
    }
  }

  /** Keys whose values are secrets in Hadoop, AWS and Kafka settings. */
  static boolean isSecretKey(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return lower.endsWith(".secret.key")
        || lower.endsWith(".access.key")
        || lower.endsWith(".session.token")
        || lower.contains("password")
        || lower.endsWith("sasl.jaas.config");
  }

  /**
   * Whether a secret key's value holds its secrets by reference only: the whole value, or, in a
   * JAAS configuration, each secret option ({@code password="${env:KAFKA_PASSWORD}"}).
   */
  private static boolean onlyReferences(String key, String value) {
    if (!key.toLowerCase(Locale.ROOT).endsWith("sasl.jaas.config")) {
      return isReference(value);
    }
    if (UNQUOTED_SECRET_OPTION.matcher(value).find()) {
      return false;
    }
    Matcher option = JAAS_OPTION.matcher(value);
    while (option.find()) {
      String name = option.group(1).toLowerCase(Locale.ROOT);
      boolean secret =
          name.contains("password") || name.contains("secret") || name.contains("token");
      if (secret && !isReference(option.group(2))) {
        return false;
      }
    }
    return true;
  }

  /**
   * A reference the pod resolves from its environment or files ({@code ${env:NAME}}, Kafka's {@code
   * ${file:path:key}}, Hadoop's {@code ${env.NAME}}), not a secret itself.
   */
  private static boolean isReference(String value) {
    String trimmed = value.trim();
    return trimmed.startsWith("${") && trimmed.indexOf('}') == trimmed.length() - 1;
  }

  private static boolean hasUserInfo(String value) {
    if (!value.contains("://")) {
      return false;
    }
    try {
      String authority = new URI(value.trim()).getRawAuthority();
      return authority != null && authority.contains("@");
    } catch (URISyntaxException e) {
      return false; // not a URI: the field's own check says so
    }
  }
}
