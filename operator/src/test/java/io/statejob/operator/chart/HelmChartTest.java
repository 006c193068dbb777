package io.statejob.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.statejob.operator.config.OperatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator's chart, linted and rendered by the helm bundled in helm-java. */
class HelmChartTest {
  private static final Path CHART = Path.of("..", "helm", "statejob-operator");

  static List<HasMetadata> render(String... sets) {
    var template =
        new Helm(CHART)
            .template()
            .withKubeVersion("1.30.0")
            .withName("sj")
            .withNamespace("statejob-system");
    for (int i = 0; i < sets.length; i += 2) {
      template.set(sets[i], sets[i + 1]);
    }
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : template.call().split("(?m)^---\\s*$")) {
      if (document.contains("kind:")) {
        objects.add(Serialization.unmarshal(document, HasMetadata.class));
      }
    }
    return objects;
  }

  private static <T> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static List<PolicyRule> rules(List<HasMetadata> objects) {
    List<PolicyRule> rules = new ArrayList<>();
    ofType(objects, ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
    ofType(objects, Role.class).forEach(r -> rules.addAll(r.getRules()));
    return rules;
  }

  @Test
  void theChartPassesStrictLint() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
  }

  @Test
  void theChartShipsTheGeneratedCrd() throws Exception {
    assertThat(Files.readString(CHART.resolve("crds/statejobs.statejob.io-v1.yml")))
        .isEqualTo(Files.readString(Path.of("..", "crds", "statejobs.statejob.io-v1.yml")));
  }

  @Test
  void byDefaultAClusterRoleGrantsExactlyWhatTheOperatorUsesAndNoWildcard() {
    List<HasMetadata> objects = render();
    assertThat(ofType(objects, ClusterRole.class))
        .extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder("sj-statejob-operator", "sj-statejob-operator-self-review");
    List<PolicyRule> rules = rules(objects);
    assertThat(rules)
        .allSatisfy(
            rule -> {
              assertThat(rule.getVerbs()).doesNotContain("*");
              assertThat(rule.getResources()).doesNotContain("*");
              assertThat(rule.getApiGroups()).doesNotContain("*");
            });
    assertThat(rules)
        .flatExtracting(PolicyRule::getResources)
        .contains(
            "statejobs",
            "statejobs/status",
            "statefulsets",
            "deployments",
            "configmaps",
            "services",
            "events",
            "leases",
            "networkpolicies")
        .doesNotContain("customresourcedefinitions");
    // the jobs' API tokens: read through the informer of the operator's own, never one by one
    assertThat(rules)
        .filteredOn(rule -> rule.getResources().contains("secrets"))
        .singleElement()
        .satisfies(rule -> assertThat(rule.getVerbs()).doesNotContain("get", "delete"));
    assertThat(rules)
        .filteredOn(rule -> rule.getResources().contains("pods"))
        .singleElement()
        .satisfies(rule -> assertThat(rule.getVerbs()).containsExactly("list", "watch"));
  }

  @Test
  void watchedNamespacesGetRolesAndNoClusterWideRightsOverWorkloads() {
    List<HasMetadata> objects =
        render("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b");
    assertThat(ofType(objects, Role.class))
        .extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .containsExactlyInAnyOrder(
            "team-a/sj-statejob-operator",
            "team-b/sj-statejob-operator",
            "statejob-system/sj-statejob-operator-leader-election");
    assertThat(ofType(objects, ClusterRole.class))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getRules())
                    .flatExtracting(PolicyRule::getResources)
                    .containsExactly("selfsubjectrulesreviews"));
    OperatorConfig config = operatorConfig(objects);
    assertThat(config.namespaces()).containsExactlyInAnyOrder("team-a", "team-b");
  }

  @Test
  void theOperatorRunsNonRootOnAReadOnlyRootFileSystemWithProbes() {
    Deployment deployment = ofType(render(), Deployment.class).get(0);
    var pod = deployment.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getResources().getLimits()).containsKey("memory");
    assertThat(container.getImage()).isEqualTo("ghcr.io/statejob/statejob-operator:0.1.0");
  }

  @Test
  void theOperatorConfigCarriesTheClusterDefaultBackend() {
    OperatorConfig config =
        operatorConfig(
            render(
                "runtime.defaultConfiguration.state\\.backend", "rocksdb",
                "runtime.defaultConfiguration.state\\.checkpoints\\.dir", "s3a://ckpt/jobs"));
    assertThat(config.runtimeDefaults().asMap())
        .containsEntry("state.backend", "rocksdb")
        .containsEntry("state.checkpoints.dir", "s3a://ckpt/jobs");
    assertThat(config.leaderElectionEnabled()).isTrue();
    assertThat(config.useServerSideApply()).isTrue();
    assertThat(config.image()).isEqualTo("ghcr.io/statejob/statejob-runtime:0.1.0");
    assertThat(config.privilegedPodsAllowed()).isFalse();
    assertThat(config.perResourceMetricsEnabled()).isFalse();
    assertThat(operatorConfig(render("metrics.perResource", "true")).perResourceMetricsEnabled())
        .isTrue();
    assertThat(operatorConfig(render("allowPrivilegedPods", "true")).privilegedPodsAllowed())
        .isTrue();
  }

  @Test
  void jobNetworkPoliciesAreOnByDefaultAndLetThisOperatorsPodsThrough() {
    List<HasMetadata> objects = render();
    OperatorConfig.NetworkPolicySettings settings =
        operatorConfig(objects).networkPolicies().orElseThrow();
    Deployment operator = ofType(objects, Deployment.class).get(0);
    assertThat(settings.operatorNamespace()).isEqualTo("statejob-system");
    assertThat(operator.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(settings.operatorPodLabels());
    assertThat(settings.metricsFrom()).isEmpty();
    assertThat(rules(objects))
        .anySatisfy(r -> assertThat(r.getResources()).containsExactly("networkpolicies"));

    List<HasMetadata> prometheus =
        render("networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.team", "monitoring");
    assertThat(operatorConfig(prometheus).networkPolicies().orElseThrow().metricsFrom())
        .singleElement()
        .satisfies(
            peer ->
                assertThat(peer.getNamespaceSelector().getMatchLabels())
                    .containsEntry("team", "monitoring"));

    List<HasMetadata> off = render("networkPolicy.enabled", "false");
    assertThat(operatorConfig(off).networkPolicies()).isEmpty();
    assertThat(rules(off)).noneMatch(r -> r.getResources().contains("networkpolicies"));
  }

  private static OperatorConfig operatorConfig(List<HasMetadata> objects) {
    ConfigMap configMap = ofType(objects, ConfigMap.class).get(0);
    try {
      return new ObjectMapper(new YAMLFactory())
          .readValue(configMap.getData().get("operator.yaml"), OperatorConfig.class);
    } catch (Exception e) {
      throw new AssertionError("operator.yaml does not parse: " + e.getMessage(), e);
    }
  }

  @Test
  void monitoringIsOffByDefaultAndScrapesEveryJobPodWhenOn() throws Exception {
    assertThat(render())
        .noneMatch(o -> o.getKind().equals("PodMonitor") || o.getKind().equals("ServiceMonitor"));
    List<HasMetadata> objects =
        render(
            "monitoring.podMonitor.enabled", "true",
            "monitoring.serviceMonitor.enabled", "true",
            "monitoring.dashboard.enabled", "true");
    HasMetadata podMonitor =
        objects.stream().filter(o -> o.getKind().equals("PodMonitor")).findFirst().orElseThrow();
    String rendered = Serialization.asYaml(podMonitor);
    assertThat(rendered)
        .contains("app.kubernetes.io/managed-by: \"statejob-operator\"")
        .contains("port: \"http\"")
        .contains("any: true");
    assertThat(objects).anyMatch(o -> o.getKind().equals("ServiceMonitor"));
    io.fabric8.kubernetes.api.model.ConfigMap dashboard =
        ofType(objects, io.fabric8.kubernetes.api.model.ConfigMap.class).stream()
            .filter(c -> c.getMetadata().getName().endsWith("-dashboard"))
            .findFirst()
            .orElseThrow();
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dashboard.getData().get("statejob.json")))
        .isEqualTo(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(CHART.resolve("dashboards/statejob.json").toFile()));
  }
}
