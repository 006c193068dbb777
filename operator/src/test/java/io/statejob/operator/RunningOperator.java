package io.statejob.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statejob.operator.config.OperatorConfig;

/** The operator as the packaged one runs, with a client of its own, on a test's API server. */
public final class RunningOperator implements AutoCloseable {
  private final KubernetesClient client;
  private final Operator operator;

  private RunningOperator(KubernetesClient client, Operator operator) {
    this.client = client;
    this.operator = operator;
  }

  public static RunningOperator start(KubernetesClient server, OperatorConfig config) {
    KubernetesClient client = OperatorFactory.client(server.getConfiguration());
    Operator operator =
        OperatorFactory.create(client, config, new SimpleMeterRegistry(), "test", () -> {});
    operator.start();
    return new RunningOperator(client, operator);
  }

  @Override
  public void close() {
    operator.stop();
    client.close();
  }
}
