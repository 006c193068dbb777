package io.statejob.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statejob.operator.config.OperatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The operator's {@code /metrics}, as the chart's ServiceMonitor scrapes it: JOSDK's reconcile
 * counts and durations, and the JVM's, while it reconciles a job on the mock API server.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorMetricsTest {
  static KubernetesClient client;

  @Test
  void theOperatorServesItsReconcilesAndItsJvm() throws Exception {
    StateJobs.installCrd(client);
    PrometheusMeterRegistry metrics = StateJobOperator.metricsRegistry();
    HttpServer http = StateJobOperator.httpServer(0, metrics, () -> true);
    try (FakeCoordinator coordinator = new FakeCoordinator();
        KubernetesClient operatorClient = OperatorFactory.client(client.getConfiguration())) {
      Operator operator =
          OperatorFactory.create(
              operatorClient,
              perResource(MockApi.operatorConfig(coordinator.url(), false)),
              metrics,
              "metrics",
              () -> {});
      operator.start();
      try {
        client.resource(StateJobs.memory("measured")).create();
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/metrics";
        await()
            .atMost(Duration.ofSeconds(20))
            .untilAsserted(
                () ->
                    assertThat(scrape(url))
                        .containsPattern(
                            "(?m)^operator_sdk_reconciliations_success_total\\{.* [1-9]")
                        // per resource, as the config asks: the job's own series
                        .containsPattern(
                            "(?m)^operator_sdk_reconciliations_success_total\\{.*name=\"measured\"")
                        .contains("jvm_memory_used_bytes{")
                        .contains("process_cpu_usage"));
      } finally {
        operator.stop();
      }
    } finally {
      http.stop(0);
    }
  }

  private static OperatorConfig perResource(OperatorConfig config) {
    return new OperatorConfig(
        config.defaultImage(),
        config.defaultConfiguration(),
        config.watchNamespaces(),
        config.reconcileInterval(),
        config.leaderElection(),
        config.serverSideApply(),
        config.coordinatorUrl(),
        config.port(),
        config.allowPrivilegedPods(),
        config.cleanupTimeout(),
        config.networkPolicy(),
        true);
  }

  private static String scrape(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
