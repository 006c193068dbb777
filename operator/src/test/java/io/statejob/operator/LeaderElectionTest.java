package io.statejob.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statejob.operator.config.OperatorConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two operator replicas share a Lease: one reconciles, the other takes over when it stops. */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  /** An operator replica whose observer asks {@code coordinator}: its reconciles are counted. */
  private static Operator start(String identity, FakeCoordinator coordinator) {
    OperatorConfig config =
        new OperatorConfig(
            null,
            Map.of(),
            null,
            "1s",
            new OperatorConfig.LeaderElection(true, "statejob-operator", "operators"),
            false,
            coordinator.url(),
            null);
    Operator operator = OperatorFactory.create(client, config, new SimpleMeterRegistry(), identity);
    operator.start();
    return operator;
  }

  private static String holder() {
    Lease lease = client.leases().inNamespace("operators").withName("statejob-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static boolean reconciled(String job) {
    return client.apps().statefulSets().inNamespace("jobs").withName(job + "-worker").get() != null;
  }

  @Test
  void onlyTheLeaderReconcilesAndTheOtherTakesOverWhenItStops() throws Exception {
    // JOSDK checks its permissions before it runs for leader; the mock answers any review
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            "{\"status\":{\"resourceRules\":[{\"verbs\":[\"*\"],"
                + "\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}]}}")
        .always();
    StateJobs.installCrd(client);
    try (FakeCoordinator seenByFirst = new FakeCoordinator();
        FakeCoordinator seenBySecond = new FakeCoordinator()) {
      Operator first = start("first", seenByFirst);
      await().atMost(Duration.ofSeconds(20)).until(() -> "first".equals(holder()));
      Operator second = start("second", seenBySecond);
      client.resource(StateJobs.memory("led")).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> reconciled("led"));
      assertThat(holder()).isEqualTo("first");
      await().atMost(Duration.ofSeconds(10)).until(() -> seenByFirst.requests() >= 2);
      assertThat(seenBySecond.requests()).as("reconciles by the standby").isZero();

      first.stop();
      await().atMost(Duration.ofSeconds(40)).until(() -> "second".equals(holder()));
      client.resource(StateJobs.memory("after-failover")).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> reconciled("after-failover"));
      StatefulSet workers =
          client.apps().statefulSets().inNamespace("jobs").withName("after-failover-worker").get();
      assertThat(workers.getSpec().getReplicas()).isEqualTo(2);
      assertThat(seenBySecond.requests()).as("reconciles after the failover").isPositive();
      second.stop();
    }
  }
}
