package io.statejob.operator.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.statejob.api.config.ConfigValues;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeConfigYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's own configuration, read from the YAML file the chart mounts. Every field has a
 * default, so an empty file (or none) gives a working operator.
 *
 * @param defaultImage runtime image of jobs whose spec names none
 * @param defaultConfiguration cluster-wide runtime keys (the default {@code state.backend}, {@code
 *     state.checkpoints.dir}, ...), overridden by each job's spec
 * @param watchNamespaces namespaces to watch; empty watches all
 * @param reconcileInterval longest time between two reconciles of a job, which is also how often
 *     the coordinator's checkpoints are polled
 * @param leaderElection a Lease lets several replicas run with one active
 * @param serverSideApply patch status and owned resources with server-side apply (off only against
 *     API servers without it, such as the mock server in tests)
 * @param coordinatorUrl where the coordinator of a job answers, with {name} and {namespace}
 * @param port port of {@code /healthz}, {@code /readyz} and {@code /metrics}; 0 picks a free one
 * @param allowPrivilegedPods let job pod templates ask for privileged containers, host namespaces,
 *     hostPath volumes, root users or added capabilities; refused by default
 * @param cleanupTimeout how long the deletion of a StateJob with {@code
 *     checkpoints.cleanupOnDelete} waits for its final savepoint and cleanup before it goes on
 *     without them (default 10m)
 * @param networkPolicy a NetworkPolicy per job, which only the operator, the job's own pods and the
 *     named scrapers get through; off unless enabled (the chart enables it)
 * @param perResourceMetrics JOSDK's reconcile metrics per StateJob too (tagged with its name and
 *     namespace), besides the totals; off by default, as they make series per job
 */
public record OperatorConfig(
    String defaultImage,
    Map<String, Object> defaultConfiguration,
    List<String> watchNamespaces,
    String reconcileInterval,
    LeaderElection leaderElection,
    Boolean serverSideApply,
    String coordinatorUrl,
    Integer port,
    Boolean allowPrivilegedPods,
    String cleanupTimeout,
    NetworkPolicySettings networkPolicy,
    Boolean perResourceMetrics) {

  public static final String DEFAULT_IMAGE = "ghcr.io/statejob/statejob-runtime:0.1.0";

  /**
   * @param leaseNamespace namespace of the Lease; the operator's own when unset
   */
  public record LeaderElection(Boolean enabled, String leaseName, String leaseNamespace) {}

  /**
   * @param operatorNamespace the operator's namespace, whose pods labelled {@code
   *     operatorPodLabels} may call a job's coordinator
   * @param metricsFrom who else may reach the pods' HTTP port ({@code /metrics}), such as
   *     Prometheus: NetworkPolicy peers; the coordinator's endpoints that change the job ask for
   *     the API token whoever calls
   */
  public record NetworkPolicySettings(
      Boolean enabled,
      String operatorNamespace,
      Map<String, String> operatorPodLabels,
      List<NetworkPolicyPeer> metricsFrom) {
    public NetworkPolicySettings {
      if (Boolean.TRUE.equals(enabled)
          && (operatorNamespace == null
              || operatorPodLabels == null
              || operatorPodLabels.isEmpty())) {
        throw new IllegalArgumentException(
            "networkPolicy.enabled needs networkPolicy.operatorNamespace and"
                + " networkPolicy.operatorPodLabels, which let the operator through");
      }
      metricsFrom = metricsFrom == null ? List.of() : List.copyOf(metricsFrom);
    }
  }

  public static OperatorConfig defaults() {
    return new OperatorConfig(
        null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The settings of the jobs' NetworkPolicies, when they are enabled. */
  public java.util.Optional<NetworkPolicySettings> networkPolicies() {
    return networkPolicy != null && Boolean.TRUE.equals(networkPolicy.enabled())
        ? java.util.Optional.of(networkPolicy)
        : java.util.Optional.empty();
  }

  public static OperatorConfig read(Path file) throws IOException {
    OperatorConfig config =
        new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .readValue(Files.readString(file), OperatorConfig.class);
    return config == null ? defaults() : config;
  }

  public String image() {
    return defaultImage == null ? DEFAULT_IMAGE : defaultImage;
  }

  /** The cluster default runtime config; nested YAML maps are flattened to dotted keys. */
  public RuntimeConfig runtimeDefaults() {
    return defaultConfiguration == null
        ? RuntimeConfig.empty()
        : RuntimeConfigYaml.fromMap(defaultConfiguration);
  }

  public Set<String> namespaces() {
    return watchNamespaces == null ? Set.of() : Set.copyOf(watchNamespaces);
  }

  public Duration reconcileEvery() {
    return reconcileInterval == null
        ? Duration.ofSeconds(30)
        : ConfigValues.parseDuration(reconcileInterval);
  }

  public boolean leaderElectionEnabled() {
    return leaderElection != null && Boolean.TRUE.equals(leaderElection.enabled());
  }

  public String leaseName() {
    return leaderElection == null || leaderElection.leaseName() == null
        ? "statejob-operator"
        : leaderElection.leaseName();
  }

  public boolean useServerSideApply() {
    return serverSideApply == null || serverSideApply;
  }

  /** The base URL of a job's coordinator REST API. */
  public String coordinatorUrl(String namespace, String name) {
    String template =
        coordinatorUrl == null ? "http://{name}-coordinator.{namespace}.svc:8081" : coordinatorUrl;
    return template.replace("{name}", name).replace("{namespace}", namespace);
  }

  public Duration cleanupWithin() {
    return cleanupTimeout == null
        ? Duration.ofMinutes(10)
        : ConfigValues.parseDuration(cleanupTimeout);
  }

  public boolean perResourceMetricsEnabled() {
    return Boolean.TRUE.equals(perResourceMetrics);
  }

  public boolean privilegedPodsAllowed() {
    return Boolean.TRUE.equals(allowPrivilegedPods);
  }

  public int httpPort() {
    return port == null ? 8080 : port;
  }
}
