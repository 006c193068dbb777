package io.statejob.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.statejob.api.model.StateJob;
import io.statejob.api.protocol.SnapshotReport;
import io.statejob.api.protocol.SnapshotRequest;
import io.statejob.operator.config.OperatorConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deleting a StateJob through the operator's finalizer, on the mock API server (which holds a
 * deletion while a finalizer is set and sends the change): the final savepoint, the pods stopped,
 * the cleanup pod's Job, its failure and retry, and the timeout that never lets a cleanup hold a
 * deletion for good. The test plays the Job controller.
 */
@EnableKubernetesMockClient(crud = true)
class JobCleanupTest {
  static KubernetesClient client;

  private FakeCoordinator coordinator;
  private RunningOperator operator;

  @BeforeEach
  void start() throws Exception {
    StateJobs.installCrd(client);
    coordinator = new FakeCoordinator();
    coordinator.report(3, 0, 0);
    OperatorConfig config =
        new OperatorConfig(
            "statejob-runtime:test",
            Map.of(),
            null,
            "1s",
            null,
            false, // the mock API server has no server-side apply
            coordinator.url(),
            null,
            null,
            "12s",
            null,
            null);
    operator = RunningOperator.start(client, config);
  }

  @AfterEach
  void stop() {
    operator.close();
    coordinator.close();
  }

  @Test
  void aJobWithoutCleanupGoesAtOnceAndLeavesItsCheckpoints() {
    create(StateJobs.filesystem("plain"));
    assertThat(get("plain").getMetadata().getFinalizers()).isNotEmpty();

    client.resource(get("plain")).delete();
    eventually(() -> assertThat(get("plain")).isNull());
    assertThat(cleanupJob("plain")).isNull();
    assertThat(coordinator.savepointRequests()).isEmpty();
  }

  @Test
  void aFinalSavepointStopsTheJobThenAFailedCleanupIsRetriedUntilTheCheckpointsAreDeleted() {
    coordinator.savepointOutcome(SnapshotReport.State.IN_PROGRESS);
    StateJob job =
        create(
            StateJobs.of(
                "tidy",
                "stateBackend: {type: filesystem}\n"
                    + "checkpoints: {uri: file:///c/, cleanupOnDelete: true}\n"
                    + "savepoints: {onDelete: true}"));
    String jobId = job.getStatus().jobId;

    client.resource(get("tidy")).delete();
    eventually(
        () ->
            assertThat(coordinator.savepointRequests())
                .contains(
                    new SnapshotRequest(
                        "delete-" + job.getMetadata().getUid(), true, true, false)));
    assertThat(get(StatefulSet.class, "tidy-worker")).as("kept until the savepoint").isNotNull();
    assertThat(cleanupJob("tidy")).isNull();

    coordinator.completeSavepoints();
    eventually(
        () -> {
          assertThat(get(StatefulSet.class, "tidy-worker")).isNull();
          assertThat(get(StatefulSet.class, "tidy-coordinator")).isNull();
          assertThat(cleanupJob("tidy")).isNotNull();
        });
    Job first = cleanupJob("tidy");
    assertThat(first.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly(
            "checkpoints",
            "delete",
            "file:///c/" + jobId,
            "--config",
            "/etc/statejob/statejob.yaml");
    assertThat(first.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(first.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(owner -> assertThat(owner.getName()).isEqualTo("tidy"));

    MockApi.finishJob(client, first, "Failed");
    eventually(
        () -> {
          assertThat(events("tidy", "CleanupFailed")).hasSize(1);
          assertThat(cleanupJob("tidy").getMetadata().getUid())
              .isNotEqualTo(first.getMetadata().getUid());
        });
    assertThat(get("tidy")).as("held until the checkpoints are deleted").isNotNull();

    MockApi.finishJob(client, cleanupJob("tidy"), "Complete");
    eventually(() -> assertThat(get("tidy")).isNull());
    assertThat(events("tidy", "SavepointCompleted"))
        .singleElement()
        .extracting(Event::getMessage)
        .asString()
        .contains("stopped the job before the deletion");
    assertThat(events("tidy", "CleanupAbandoned")).isEmpty();
    assertThat(events("tidy", "CheckpointsDeleted"))
        .singleElement()
        .extracting(Event::getMessage)
        .asString()
        .contains("file:///c/" + jobId);
  }

  @Test
  void aCleanupThatNeverEndsHoldsTheDeletionOnlyUntilTheTimeout() {
    create(
        StateJobs.of(
            "stuck",
            "stateBackend: {type: filesystem}\n"
                + "checkpoints: {uri: file:///c, cleanupOnDelete: true}"));
    String jobId = get("stuck").getStatus().jobId;
    client.resource(get("stuck")).delete();
    eventually(() -> assertThat(cleanupJob("stuck")).isNotNull());
    assertThat(get("stuck")).isNotNull();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("stuck")).isNull());
    assertThat(events("stuck", "CleanupAbandoned"))
        .singleElement()
        .extracting(Event::getMessage)
        .asString()
        .contains("did not end within PT12S", "statejob checkpoints delete file:///c/" + jobId);
  }

  /** Creates the job and waits for its first reconcile: its pods' controllers and status. */
  private StateJob create(StateJob job) {
    job.getMetadata().setUid(null); // the server assigns it
    client.resource(job).create();
    String name = job.getMetadata().getName();
    eventually(
        () -> {
          assertThat(get(StatefulSet.class, name + "-worker")).isNotNull();
          assertThat(get(name).getStatus().jobId).isNotNull();
        });
    return get(name);
  }

  private static Job cleanupJob(String name) {
    return get(Job.class, name + "-cleanup");
  }

  private static StateJob get(String name) {
    return get(StateJob.class, name);
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T get(
      Class<T> type, String name) {
    return client.resources(type).inNamespace("jobs").withName(name).get();
  }

  private static List<Event> events(String job, String reason) {
    return client.v1().events().inNamespace("jobs").list().getItems().stream()
        .filter(e -> job.equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private static void eventually(org.awaitility.core.ThrowingRunnable assertion) {
    await().ignoreExceptions().atMost(Duration.ofSeconds(20)).untilAsserted(assertion);
  }
}
