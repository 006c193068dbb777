package io.statejob.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.Cloner;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.TolerantReading;
import io.statejob.operator.config.OperatorConfig;
import io.statejob.operator.reconciler.ResourceApplier;
import io.statejob.operator.reconciler.StateJobReconciler;
import java.time.Duration;

/** Builds the JOSDK operator from the operator config: the one place its settings are decided. */
public final class OperatorFactory {
  /** How the API server's audit log names the operator's requests. */
  public static final String USER_AGENT = "statejob-operator";

  private OperatorFactory() {}

  /**
   * A client that reads every StateJob an API server can hold: one it could not read would stop the
   * informer, and with it every job (see {@link TolerantReading}).
   */
  public static KubernetesClient client(Config config) {
    Config named = new ConfigBuilder(config).withUserAgent(USER_AGENT).build();
    return new KubernetesClientBuilder()
        .withConfig(named)
        .withKubernetesSerialization(
            new KubernetesSerialization(TolerantReading.configure(new ObjectMapper()), true))
        .build();
  }

  /**
   * @param client shared with the caller, who closes it (made by {@link #client}, so that no
   *     StateJob stops it)
   * @param identity this replica's name in the leader election Lease
   * @param onLostLeadership run when this replica stops holding the Lease: it must stop reconciling
   *     at once, since another replica may lead already
   */
  public static Operator create(
      KubernetesClient client,
      OperatorConfig config,
      MeterRegistry metrics,
      String identity,
      Runnable onLostLeadership) {
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(config.useServerSideApply())
                  .withResourceCloner(readProblemsKept(client))
                  .withMetrics(reconcileMetrics(config, metrics))
                  .withReconciliationTerminationTimeout(Duration.ofSeconds(10));
              if (config.leaderElectionEnabled()) {
                o.withLeaderElectionConfiguration(
                    LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
                            config.leaseName())
                        .withLeaseNamespace(config.leaderElection().leaseNamespace())
                        .withIdentity(identity)
                        .withLeaseDuration(Duration.ofSeconds(10))
                        .withRenewDeadline(Duration.ofSeconds(8))
                        .withRetryPeriod(Duration.ofSeconds(2))
                        // JOSDK would go on reconciling: the caller decides how to stop
                        .withExitOnStopLeading(false)
                        .withLeaderCallbacks(
                            new LeaderCallbacks(() -> {}, onLostLeadership, leader -> {}))
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
          c.withFieldManager(ResourceApplier.FIELD_MANAGER);
        });
    return operator;
  }

  /**
   * JOSDK's reconcile counts and durations; per StateJob when the config asks, their series removed
   * a minute after the job's deletion.
   */
  private static MicrometerMetrics reconcileMetrics(OperatorConfig config, MeterRegistry metrics) {
    return config.perResourceMetricsEnabled()
        ? MicrometerMetrics.newPerResourceCollectingMicrometerMetricsBuilder(metrics)
            .withCleanUpDelayInSeconds(60)
            .build()
        : MicrometerMetrics.withoutPerResourceMetrics(metrics);
  }

  /** JOSDK's copy of a cached resource, through JSON, with what could not be read of it. */
  private static Cloner readProblemsKept(KubernetesClient client) {
    return new Cloner() {
      @Override
      public <R extends HasMetadata> R clone(R object) {
        R copy = client.getKubernetesSerialization().clone(object);
        if (object instanceof StateJob job) {
          ((StateJob) copy).setReadProblems(job.readProblems());
        }
        return copy;
      }
    };
  }
}
