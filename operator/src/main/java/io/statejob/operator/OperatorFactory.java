package io.statejob.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.statejob.operator.config.OperatorConfig;
import io.statejob.operator.reconciler.StateJobReconciler;
import java.time.Duration;

/** Builds the JOSDK operator from the operator config: the one place its settings are decided. */
public final class OperatorFactory {
  private OperatorFactory() {}

  /**
   * @param client shared with the caller, who closes it
   * @param identity this replica's name in the leader election Lease
   */
  public static Operator create(
      KubernetesClient client, OperatorConfig config, MeterRegistry metrics, String identity) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(config.useServerSideApply())
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(metrics))
                  .withReconciliationTerminationTimeout(Duration.ofSeconds(10));
              if (config.leaderElectionEnabled()) {
                // losing the lease stops reconciling; the pod restarts by its liveness probe
                o.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                            config.leaseName())
                        .withLeaseNamespace(config.leaderElection().leaseNamespace())
                        .withIdentity(identity)
                        .withLeaseDuration(Duration.ofSeconds(10))
                        .withRenewDeadline(Duration.ofSeconds(8))
                        .withRetryPeriod(Duration.ofSeconds(2))
                        .withExitOnStopLeading(false)
                        .build());
              }
            });
    operator.register(
        new StateJobReconciler(client, config),
        c -> {
          if (!config.namespaces().isEmpty()) {
            c.settingNamespaces(config.namespaces());
          }
          c.withReconciliationMaxInterval(config.reconcileEvery());
        });
    return operator;
  }
}
