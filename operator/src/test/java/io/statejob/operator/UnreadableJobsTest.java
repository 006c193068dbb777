package io.statejob.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statejob.api.model.JobPhase;
import io.statejob.api.model.StateJob;
import io.statejob.operator.config.OperatorConfig;
import java.time.Duration;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Objects an API server accepts but the Java model cannot hold (a number out of its range, a value
 * or field of a newer version) stop neither the operator nor any other job; each is reported on
 * itself where its spec is at fault.
 */
@EnableKubernetesMockClient(crud = true)
class UnreadableJobsTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  private static final String GOOD_SPEC =
      "\"job\":{\"className\":\"io.statejob.examples.KeyStatisticsJob\"},\"parallelism\":2";

  /** Writes the object as it is, as a client that knows only the CRD's schema would. */
  private static void createRaw(String name, String specFields, String status) {
    GenericKubernetesResource raw =
        client
            .getKubernetesSerialization()
            .unmarshal(
                "{\"apiVersion\":\"statejob.io/v1alpha1\",\"kind\":\"StateJob\",\"metadata\":{"
                    + "\"name\":\""
                    + name
                    + "\",\"namespace\":\"jobs\"},\"spec\":{"
                    + GOOD_SPEC
                    + specFields
                    + "}}",
                GenericKubernetesResource.class);
    GenericKubernetesResource created = client.resource(raw).create();
    if (!status.isEmpty()) {
      created.setAdditionalProperty(
          "status", client.getKubernetesSerialization().unmarshal(status, Map.class));
      client.resource(created).updateStatus();
    }
  }

  private static Operator startOperator(KubernetesClient operatorClient, String coordinatorUrl) {
    OperatorConfig config =
        new OperatorConfig(
            "statejob-runtime:test",
            Map.of(),
            null,
            "1m",
            null,
            false,
            coordinatorUrl,
            null,
            null,
            null,
            null,
            null);
    Operator operator =
        OperatorFactory.create(operatorClient, config, new SimpleMeterRegistry(), "test", () -> {});
    operator.start();
    return operator;
  }

  private static boolean hasWorkers(String name) {
    return client.resources(StatefulSet.class).inNamespace("jobs").withName(name + "-worker").get()
        != null;
  }

  private static String specValidMessage(String name) {
    return client
        .genericKubernetesResources("statejob.io/v1alpha1", "StateJob")
        .inNamespace("jobs")
        .withName(name)
        .get()
        .get("status", "conditions")
        .toString();
  }

  @Test
  void poisonObjectsStopNeitherTheOperatorNorAnyOtherJob() throws Exception {
    StateJobs.installCrd(client);
    IntStream.range(0, 100).forEach(i -> createRaw("job-" + i, "", ""));
    createRaw("retained-overflow", ",\"checkpoints\":{\"retained\":3000000000}", "");
    createRaw(
        "port-overflow",
        ",\"podTemplate\":{\"spec\":{\"containers\":[{\"name\":\"statejob\","
            + "\"ports\":[{\"containerPort\":4294967296}]}]}}",
        "");
    createRaw("newer-status", "", "{\"phase\":\"Draining\",\"drainedAt\":\"2026-11-29\"}");
    createRaw("newer-spec", ",\"drain\":true", "");

    try (KubernetesClient operatorClient = OperatorFactory.client(client.getConfiguration());
        FakeCoordinator coordinator = new FakeCoordinator()) {
      Operator operator = startOperator(operatorClient, coordinator.url());
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> IntStream.range(0, 100).allMatch(i -> hasWorkers("job-" + i)));
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> hasWorkers("newer-status") && hasWorkers("newer-spec"));
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  assertThat(specValidMessage("retained-overflow"))
                      .contains("spec.checkpoints.retained: 3000000000 is out of range");
                  assertThat(specValidMessage("port-overflow"))
                      .contains(
                          "spec.podTemplate.spec.containers[0].ports[0].containerPort:"
                              + " 4294967296 is out of range");
                  assertThat(specValidMessage("newer-spec"))
                      .contains("spec.drain: is not a field this operator version knows");
                });

        // 2,048 segments overflowed the stack of the validator's regular expression, for good
        StateJob longName = StateJobs.of("long-class-name", "parallelism: 1");
        longName.getSpec().job.className = "a.".repeat(2048) + "B";
        longName.getMetadata().setUid(null);
        client.resource(longName).create();
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThat(specValidMessage("long-class-name"))
                        .contains(
                            "spec.job.className: 4097 characters, more than the 1024 allowed"));
        StateJobs.editSpec(client, "jobs", "long-class-name", spec -> spec.job.className = "a.B");
        await().atMost(Duration.ofSeconds(10)).until(() -> hasWorkers("long-class-name"));
        assertThat(hasWorkers("retained-overflow")).isFalse();
        assertThat(hasWorkers("port-overflow")).isFalse();
        // the newer operator's field stays: only the operator that knows it reads it
        assertThat(
                operatorClient
                    .resources(StateJob.class)
                    .inNamespace("jobs")
                    .withName("newer-status")
                    .get()
                    .getStatus()
                    .phase)
            .isEqualTo(JobPhase.Deploying);

        createRaw("created-later", "", "");
        await().atMost(Duration.ofSeconds(5)).until(() -> hasWorkers("created-later"));
      } finally {
        operator.stop();
      }
      // a restart reads every object again, the unreadable ones too
      Operator restarted = startOperator(operatorClient, coordinator.url());
      try {
        createRaw("after-restart", "", "");
        await().atMost(Duration.ofSeconds(10)).until(() -> hasWorkers("after-restart"));
      } finally {
        restarted.stop();
      }
    }
  }
}
