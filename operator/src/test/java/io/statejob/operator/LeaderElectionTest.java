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
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Operator replicas share a Lease: one reconciles, the other takes over when it stops, and a
 * replica that loses the Lease stops reconciling.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  /**
   * An operator replica whose observer asks {@code coordinator}, so its reconciles are counted. It
   * stops when it loses the Lease, as the packaged operator exits.
   */
  private static Operator start(String identity, FakeCoordinator coordinator) {
    OperatorConfig config = MockApi.operatorConfig(coordinator.url(), true);
    AtomicReference<Operator> replica = new AtomicReference<>();
    Operator operator =
        OperatorFactory.create(
            OperatorFactory.client(client.getConfiguration()),
            config,
            new SimpleMeterRegistry(),
            identity,
            () -> {
              lost.add(identity);
              // not on the leader election's own thread, which the stop waits for
              new Thread(() -> replica.get().stop()).start();
            });
    replica.set(operator);
    operator.start();
    return operator;
  }

  /** Replicas that ran their lost-leadership action. */
  private static final List<String> lost = new CopyOnWriteArrayList<>();

  @BeforeEach
  void freshLease() {
    MockApi.answerPermissionReviews(server);
    StateJobs.installCrd(client);
    client.leases().inNamespace("operators").delete();
  }

  private static String holder() {
    Lease lease = client.leases().inNamespace("operators").withName("statejob-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  /** Another holder renews the Lease, as after a network partition of the leader. */
  private static void takeLease(String holder) {
    Lease lease = client.leases().inNamespace("operators").withName("statejob-operator").get();
    lease.getSpec().setHolderIdentity(holder);
    lease.getSpec().setRenewTime(ZonedDateTime.now());
    lease.getSpec().setLeaseDurationSeconds(3600);
    client.resource(lease).update();
  }

  private static boolean reconciled(String job) {
    return client.apps().statefulSets().inNamespace("jobs").withName(job + "-worker").get() != null;
  }

  @Test
  void aReplicaThatLosesTheLeaseStopsReconcilingAtOnce() throws Exception {
    try (FakeCoordinator coordinator = new FakeCoordinator()) {
      start("leader", coordinator);
      await().atMost(Duration.ofSeconds(20)).until(() -> "leader".equals(holder()));
      client.resource(StateJobs.memory("before-loss")).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> reconciled("before-loss"));

      takeLease("partitioned-away");
      await().atMost(Duration.ofSeconds(30)).until(() -> lost.contains("leader"));
      int reconcilesAtLoss = coordinator.requests();
      client.resource(StateJobs.memory("after-loss")).create();
      Thread.sleep(3000); // three reconcile intervals

      assertThat(reconciled("after-loss")).as("a job created after the loss").isFalse();
      assertThat(coordinator.requests())
          .as("reconciles after the loss")
          .isLessThanOrEqualTo(reconcilesAtLoss + 1);
    }
  }

  @Test
  void onlyTheLeaderReconcilesAndTheOtherTakesOverWhenItStops() throws Exception {
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
