package io.statejob.operator.resources;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.statejob.api.model.StateJob;
import io.statejob.operator.config.OperatorConfig.NetworkPolicySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The NetworkPolicy {@code <job>} over all the job's pods: their HTTP port (the coordinator's REST
 * API, the workers' attempts, {@code /metrics}) takes the job's own pods, the operator and the
 * configured scrapers; the workers' exchange port takes the job's own pods only. Everything else
 * coming in is refused; going out is not restricted (checkpoint storage, Kafka, DNS).
 */
public final class NetworkPolicyBuilder {
  private NetworkPolicyBuilder() {}

  public static NetworkPolicy build(StateJob job, NetworkPolicySettings settings) {
    NetworkPolicyPeer ownPods =
        new NetworkPolicyPeerBuilder().withPodSelector(ownPods(job)).build();
    NetworkPolicyPeer operator =
        new NetworkPolicyPeerBuilder()
            .withNamespaceSelector(
                new LabelSelectorBuilder()
                    .withMatchLabels(
                        Map.of("kubernetes.io/metadata.name", settings.operatorNamespace()))
                    .build())
            .withPodSelector(
                new LabelSelectorBuilder().withMatchLabels(settings.operatorPodLabels()).build())
            .build();
    List<NetworkPolicyPeer> httpPeers = new ArrayList<>(List.of(ownPods, operator));
    httpPeers.addAll(settings.metricsFrom());
    return new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder()
        .withMetadata(OwnedMetadata.of(job, ResourceNames.networkPolicy(job), "network"))
        .withNewSpec()
        .withPodSelector(ownPods(job))
        .withPolicyTypes("Ingress")
        .withIngress(rule("http", httpPeers), rule("exchange", List.of(ownPods)))
        .endSpec()
        .build();
  }

  /** All pods of the job: coordinator, workers and the cleanup Job's. */
  private static LabelSelector ownPods(StateJob job) {
    return new LabelSelectorBuilder()
        .withMatchLabels(
            Map.of(
                Labels.INSTANCE, job.getMetadata().getName(), Labels.MANAGED_BY, Labels.OPERATOR))
        .build();
  }

  /** The named container port, which each pod resolves to its own number. */
  private static NetworkPolicyIngressRule rule(String port, List<NetworkPolicyPeer> from) {
    NetworkPolicyPort named =
        new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build();
    return new NetworkPolicyIngressRuleBuilder().withPorts(named).withFrom(from).build();
  }
}
