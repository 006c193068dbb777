package io.statejob.operator;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statejob.operator.config.OperatorConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar statejob-operator.jar [--config operator.yaml]}. */
@Command(
    name = "statejob-operator",
    mixinStandardHelpOptions = true,
    description = "Reconciles StateJob resources (statejob.io/v1alpha1).")
public final class StateJobOperator implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(StateJobOperator.class);

  @Option(names = "--config", description = "Operator config YAML (the chart mounts one).")
  Path configFile;

  public static void main(String[] args) {
    System.exit(new CommandLine(new StateJobOperator()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    OperatorConfig config =
        configFile == null ? OperatorConfig.defaults() : OperatorConfig.read(configFile);
    PrometheusMeterRegistry metrics = metricsRegistry();
    String identity = System.getenv().getOrDefault("POD_NAME", "statejob-operator");
    CountDownLatch lostLeadership = new CountDownLatch(1);
    try (KubernetesClient client = OperatorFactory.client(Config.autoConfigure(null))) {
      Operator operator =
          OperatorFactory.create(client, config, metrics, identity, lostLeadership::countDown);
      HttpServer http =
          httpServer(
              config.httpPort(),
              metrics,
              () -> operator.getRuntimeInfo().allEventSourcesAreHealthy());
      operator.installShutdownHook(java.time.Duration.ofSeconds(10));
      operator.start();
      LOG.atInfo()
          .addKeyValue("namespaces", config.namespaces().isEmpty() ? "all" : config.namespaces())
          .addKeyValue("leaderElection", config.leaderElectionEnabled())
          .addKeyValue("port", http.getAddress().getPort())
          .log("operator started");
      lostLeadership.await(); // or until the shutdown hook stops the JVM
      // another replica may lead already: exit, and restart as a standby
      LOG.atWarn().addKeyValue("identity", identity).log("lost the leader Lease; exiting");
      return 1;
    }
  }

  /** The operator's metrics: JOSDK's reconciles (given to it), the JVM's and the process's. */
  static PrometheusMeterRegistry metricsRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (MeterBinder binder :
        List.of(
            new JvmMemoryMetrics(),
            new JvmGcMetrics(),
            new JvmThreadMetrics(),
            new ProcessorMetrics(),
            new UptimeMetrics())) {
      binder.bindTo(registry);
    }
    return registry;
  }

  /** {@code /healthz}, {@code /readyz} and Prometheus {@code /metrics}. */
  static HttpServer httpServer(int port, PrometheusMeterRegistry metrics, Supplier<Boolean> healthy)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/healthz", exchange -> respond(exchange, 200, "ok"));
    server.createContext(
        "/readyz",
        exchange ->
            respond(exchange, healthy.get() ? 200 : 503, healthy.get() ? "ok" : "not ready"));
    server.createContext("/metrics", exchange -> respond(exchange, 200, metrics.scrape()));
    server.start();
    return server;
  }

  private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
