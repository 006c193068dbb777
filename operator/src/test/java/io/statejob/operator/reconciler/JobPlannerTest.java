package io.statejob.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.statejob.api.model.CheckpointInfo;
import io.statejob.api.model.CheckpointsStatus;
import io.statejob.api.model.JobPhase;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobStatus;
import io.statejob.api.protocol.CheckpointsReport;
import io.statejob.api.protocol.SnapshotReport;
import io.statejob.operator.MockApi;
import io.statejob.operator.StateJobs;
import io.statejob.operator.config.OperatorConfig;
import io.statejob.operator.observer.CoordinatorApi;
import io.statejob.operator.observer.Observation;
import io.statejob.operator.resources.DesiredResources;
import io.statejob.operator.status.StatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The planner as the pure function it is: a job, what was observed and the time in; the status to
 * write and what to do out. No server, no coordinator: each case builds the observation by hand.
 */
class JobPlannerTest {
  private static final OperatorConfig OPERATOR =
      MockApi.operatorConfig("http://coordinator", false);
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final String TOKEN = "the-token";

  private final JobPlanner planner = new JobPlanner(OPERATOR, () -> TOKEN);

  @Test
  void aNewJobIsPlannedAsItsResourcesWithNothingAskedOfACoordinator() {
    StateJob job = StateJobs.filesystem("fresh");
    Plan plan = planner.plan(job, nothingDeployed(), NOW);

    assertThat(plan.status().jobId).isEqualTo(StatusBuilder.jobIdFor(job));
    DesiredResources desired = plan.resourcesToApply().orElseThrow();
    assertThat(desired.config().getData().get("statejob.yaml"))
        .contains("job.id: \"" + plan.status().jobId + "\"");
    assertThat(desired.apiToken().getData()).containsKey("token");
    assertThat(plan.snapshotRequests()).isEmpty();
    assertThat(plan.resumeFrom()).isEmpty();
    assertThat(plan.requeue()).isEmpty();
  }

  @Test
  void aSavepointNonceIsAskedForUntilTheCoordinatorReportsItThenRecorded() {
    StateJob job = running(StateJobs.of("saver", FILESYSTEM + "savepointTriggerNonce: 1"));
    CheckpointsReport unknown = report();

    Plan asking = planner.plan(job, deployed(job, unknown), NOW);
    assertThat(asking.snapshotRequests())
        .singleElement()
        .satisfies(
            ask -> {
              assertThat(ask.path()).isEqualTo("/savepoints");
              assertThat(ask.request().requestId()).isEqualTo("nonce-1");
            });
    assertThat(
            asking.status().savepoints == null ? null : asking.status().savepoints.lastTriggerNonce)
        .as("not acted on before it completed")
        .isNull();
    assertThat(asking.requeue()).contains(JobPlanner.SNAPSHOT_RECHECK);

    CheckpointsReport completed = withCompletedSavepoint("nonce-1", 7);
    Plan recorded = planner.plan(job, deployed(job, completed), NOW);
    assertThat(recorded.snapshotRequests()).as("not asked again").isEmpty();
    assertThat(recorded.status().savepoints.lastTriggerNonce).isEqualTo(1);
    assertThat(recorded.status().savepoints.latest.path)
        .isEqualTo("file:///checkpoints/x/savepoints/sp-7");
    assertThat(recorded.events())
        .extracting(Plan.Event::reason)
        .containsExactly("SavepointCompleted");
  }

  @Test
  void aStatelessUpgradeWritesTheNewJobIdThatTheResourcesToApplyCarry() {
    StateJob before = running(StateJobs.of("fresh-start", FILESYSTEM + "upgradeMode: stateless"));
    StateJob after = changed(before, "statejob-runtime:v2");

    Plan plan = planner.plan(after, deployed(before, report()), NOW);
    String newId = StatusBuilder.freshJobIdFor(after);
    assertThat(plan.status().jobId).isEqualTo(newId);
    assertThat(plan.status().checkpoints).as("the new id has none yet").isNull();
    // the status written first names the job id that the pods applied after it run under
    assertThat(plan.resourcesToApply().orElseThrow().config().getData().get("statejob.yaml"))
        .contains("job.id: \"" + newId + "\"");
  }

  @Test
  void aSavepointUpgradeStopsTheJobFirstAndAppliesNothingUntilItCompleted() {
    StateJob before = running(StateJobs.of("careful", FILESYSTEM + "upgradeMode: savepoint"));
    StateJob after = changed(before, "statejob-runtime:v2");

    Plan waiting = planner.plan(after, deployed(before, report()), NOW);
    assertThat(waiting.resourcesToApply()).isEmpty();
    assertThat(waiting.status().phase).isEqualTo(JobPhase.Upgrading);
    assertThat(waiting.snapshotRequests())
        .singleElement()
        .satisfies(
            ask -> {
              assertThat(ask.request().requestId()).isEqualTo("upgrade-2");
              assertThat(ask.request().stop()).isTrue();
            });

    CheckpointsReport stopped = withCompletedSavepoint("upgrade-2", 9);
    Plan upgrading = planner.plan(after, deployed(before, stopped), NOW);
    assertThat(upgrading.resourcesToApply()).isPresent();
    assertThat(upgrading.snapshotRequests()).isEmpty();
    assertThat(upgrading.status().savepoints.history)
        .singleElement()
        .satisfies(s -> assertThat(s.trigger).isEqualTo("upgrade-2"));
  }

  @Test
  void anInvalidSpecPlansNothingButItsReport() {
    StateJob job = StateJobs.of("broken", "stateBackend: {type: rocksdb}"); // no checkpoint URI
    Plan plan = planner.plan(job, nothingDeployed(), NOW);
    assertThat(plan.resourcesToApply()).isEmpty();
    assertThat(plan.snapshotRequests()).isEmpty();
    assertThat(plan.events()).extracting(Plan.Event::reason).containsExactly("InvalidSpec");
  }

  @Test
  void theSamePlanComesOfTheSameInputs() {
    StateJob job = running(StateJobs.of("twice", FILESYSTEM + "savepointTriggerNonce: 3"));
    Observation observation = deployed(job, report());
    Plan first = planner.plan(job, observation, NOW);
    Plan second = planner.plan(job, observation, NOW);
    assertThat(second.status()).usingRecursiveComparison().isEqualTo(first.status());
    assertThat(second.snapshotRequests()).isEqualTo(first.snapshotRequests());
    assertThat(second.events()).isEqualTo(first.events());
    assertThat(job.getStatus().savepoints).as("the job itself is left as it was").isNull();
  }

  private static final String FILESYSTEM =
      "parallelism: 2\nstateBackend: {type: filesystem}\ncheckpoints: {uri: file:///checkpoints}\n";

  /** The job as one that runs: its status names its job id and a completed checkpoint. */
  private static StateJob running(StateJob job) {
    StateJobStatus status = new StateJobStatus();
    status.jobId = StatusBuilder.jobIdFor(job);
    status.phase = JobPhase.Running;
    job.setStatus(status);
    return job;
  }

  /** The job at generation 2 with another image. */
  private static StateJob changed(StateJob job, String image) {
    StateJob copy = io.fabric8.kubernetes.client.utils.Serialization.clone(job);
    copy.getSpec().image = image;
    copy.getMetadata().setGeneration(2L);
    return copy;
  }

  private static Observation nothingDeployed() {
    return new Observation(
        new CoordinatorApi("http://coordinator", Optional.empty()),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty());
  }

  /** {@code job}'s pods as the operator applied them, ready, and the coordinator's report. */
  private Observation deployed(StateJob job, CheckpointsReport report) {
    DesiredResources applied = DesiredResources.of(job, OPERATOR, TOKEN);
    return new Observation(
        new CoordinatorApi("http://coordinator", Optional.of(TOKEN)),
        Optional.of(asWritten(applied.coordinator())),
        Optional.empty(),
        Optional.of(asWritten(applied.workers())),
        List.of(),
        Optional.of(report));
  }

  /** The object with the digest the operator writes, and all its pods ready. */
  private static StatefulSet asWritten(StatefulSet desired) {
    StatefulSet written = io.fabric8.kubernetes.client.utils.Serialization.clone(desired);
    var annotations = new HashMap<String, String>();
    annotations.put(
        ResourceApplier.DESIRED_HASH, ResourceApplier.desiredHash((HasMetadata) desired));
    written.getMetadata().setAnnotations(annotations);
    written.setStatus(
        new io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder()
            .withReplicas(desired.getSpec().getReplicas())
            .withReadyReplicas(desired.getSpec().getReplicas())
            .build());
    return written;
  }

  /** {@link #report} with savepoint request {@code requestId} completed as savepoint {@code id}. */
  private static CheckpointsReport withCompletedSavepoint(String requestId, long id) {
    CheckpointInfo savepoint = new CheckpointInfo();
    savepoint.id = id;
    savepoint.path = "file:///checkpoints/x/savepoints/sp-" + id;
    return report()
        .withRequests(
            List.of(new SnapshotReport(requestId, SnapshotReport.State.COMPLETED, savepoint, null)),
            List.of());
  }

  /** A coordinator's report: a checkpoint completed a minute ago, no snapshot request known. */
  private static CheckpointsReport report() {
    CheckpointsStatus checkpoints = new CheckpointsStatus();
    CheckpointInfo latest = new CheckpointInfo();
    latest.id = 3L;
    latest.path = "file:///checkpoints/x/chk-3";
    latest.completedAt = NOW.minus(Duration.ofMinutes(1)).toString();
    checkpoints.latest = latest;
    checkpoints.history = new java.util.ArrayList<>(List.of(latest));
    checkpoints.completed = 3L;
    checkpoints.failed = 0L;
    return new CheckpointsReport(
        checkpoints, 0, false, null, "2026-11-29T11:00:00Z", null, List.of(), List.of());
  }
}
