package io.statejob.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statejob.api.model.StateJob;
import io.statejob.operator.FakeCoordinator;
import io.statejob.operator.MockApi;
import io.statejob.operator.OperatorFactory;
import io.statejob.operator.StateJobs;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * How long an operator started beside N StateJobs (as after its upgrade, or a failover) takes to
 * reconcile them all on the mock API server (CRUD mode, in this JVM), to the point where each has
 * its owned objects and a status, and the heap in use once they are all reconciled (operator and
 * mock server together, after a GC). Run in {@code operator/} with {@code mvn -q
 * org.codehaus.mojo:exec-maven-plugin:3.5.0:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.statejob.operator.bench.OperatorScaleBench -Dexec.args=1000}.
 */
public final class OperatorScaleBench {
  private OperatorScaleBench() {}

  public static void main(String[] args) throws Exception {
    int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new java.util.HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    try (KubernetesClient client = server.createClient();
        FakeCoordinator coordinator = new FakeCoordinator();
        KubernetesClient operatorClient = OperatorFactory.client(client.getConfiguration())) {
      StateJobs.installCrd(client);
      coordinator.report(3, 0, 0);
      long start = System.nanoTime();
      for (int i = 0; i < jobs; i++) {
        StateJob job = StateJobs.filesystem("job-" + i);
        job.getMetadata().setUid(null);
        client.resource(job).create();
      }
      long created = System.nanoTime();
      // the jobs wait, as after an upgrade of the operator or a failover to another replica
      Operator operator =
          OperatorFactory.create(
              operatorClient,
              MockApi.operatorConfig(coordinator.url(), false),
              new SimpleMeterRegistry(),
              "bench",
              () -> {});
      operator.start();
      int reconciled = 0;
      while (reconciled < jobs) {
        Thread.sleep(200);
        reconciled = reconciled(client);
      }
      long done = System.nanoTime();
      operator.stop();
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      System.out.printf(
          Locale.ROOT,
          "%d StateJobs created in %.1f s; the operator, started then, reconciled them all (owned"
              + " objects and status) in %.1f s: %.0f jobs/s; heap in use afterwards %d MiB"
              + " (operator and mock API server)%n",
          jobs,
          (created - start) / 1e9,
          (done - created) / 1e9,
          jobs / ((done - created) / 1e9),
          heap >> 20);
    } finally {
      server.destroy();
    }
  }

  /** Jobs with a status and both StatefulSets. */
  private static int reconciled(KubernetesClient client) {
    long withStatus =
        client.resources(StateJob.class).inNamespace("jobs").list().getItems().stream()
            .filter(j -> j.getStatus() != null && j.getStatus().jobId != null)
            .count();
    long sets = client.apps().statefulSets().inNamespace("jobs").list().getItems().size();
    return (int) Math.min(withStatus, sets / 2);
  }
}
