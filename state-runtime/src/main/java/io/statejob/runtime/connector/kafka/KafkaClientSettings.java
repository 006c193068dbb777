package io.statejob.runtime.connector.kafka;

import io.statejob.api.config.RuntimeConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The settings every Kafka client of a job starts from: the bootstrap servers, and every {@code
 * kafka.*} key of the runtime configuration (manifest {@code spec.config}, cluster default, {@code
 * -D}) without its prefix, e.g. {@code kafka.security.protocol} and {@code kafka.sasl.*}.
 *
 * <p>Secrets stay out of manifests: the clients resolve {@code ${env:NAME}} from environment
 * variables and {@code ${file:/path/file.properties:key}} or {@code ${dir:/path:file}} from mounted
 * files (a Kubernetes Secret), through Kafka's own config providers, which are on unless the job
 * configures {@code kafka.config.providers} itself.
 */
public final class KafkaClientSettings {
  private static final String PREFIX = "kafka.";

  private KafkaClientSettings() {}

  /**
   * @param bootstrapServers servers a job argument names; they take precedence over {@code
   *     kafka.bootstrap.servers}
   * @throws IllegalArgumentException when neither names the servers
   */
  public static Map<String, Object> from(RuntimeConfig config, Optional<String> bootstrapServers) {
    Map<String, Object> settings = new HashMap<>();
    config.withPrefix(PREFIX).forEach((k, v) -> settings.put(k.substring(PREFIX.length()), v));
    bootstrapServers.ifPresent(servers -> settings.put("bootstrap.servers", servers));
    if (!settings.containsKey("bootstrap.servers")) {
      throw new IllegalArgumentException(
          "the Kafka connector needs its servers: job argument --bootstrap-servers host:port, or"
              + " kafka.bootstrap.servers in spec.config or -D");
    }
    if (!settings.containsKey("config.providers")) {
      settings.put("config.providers", "env,file,dir");
      settings.put(
          "config.providers.env.class",
          "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
      settings.put(
          "config.providers.file.class",
          "org.apache.kafka.common.config.provider.FileConfigProvider");
      settings.put(
          "config.providers.dir.class",
          "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
    }
    return settings;
  }

  /** The servers, for messages: where the client tried to connect. */
  static String servers(Map<String, Object> settings) {
    return String.valueOf(settings.get("bootstrap.servers"));
  }
}
