package io.statejob.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.api.model.CheckpointsStatus;
import io.statejob.api.model.JobPhase;
import io.statejob.api.model.RedeployStatus;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobStatus;
import io.statejob.api.model.StateLayout;
import io.statejob.api.model.UpgradeMode;
import io.statejob.api.validation.StateJobValidator;
import io.statejob.api.validation.ValidationResult;
import io.statejob.operator.config.OperatorConfig;
import io.statejob.operator.observer.CoordinatorClient;
import io.statejob.operator.observer.JobObserver;
import io.statejob.operator.observer.Observation;
import io.statejob.operator.resources.ApiTokenSecretBuilder;
import io.statejob.operator.resources.DesiredResources;
import io.statejob.operator.resources.Labels;
import io.statejob.operator.resources.RuntimeConfigMapBuilder;
import io.statejob.operator.status.CheckpointProgress;
import io.statejob.operator.status.Conditions;
import io.statejob.operator.status.StatusBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observe → validate → reconcile. An invalid spec is reported in status and touches nothing else; a
 * valid one is applied as its desired resources, each written only when it changed; the status is
 * patched only when it differs. A change that rolls running pods follows the job's upgrade mode:
 * {@code savepoint} waits for a savepoint first, {@code stateless} starts under a new job id, with
 * no checkpoints, and {@code last-state} rolls at once (the new pods restore the newest
 * checkpoint).
 */
public final class StateJobReconciler implements Reconciler<StateJob>, Cleaner<StateJob> {
  private static final Logger LOG = LoggerFactory.getLogger(StateJobReconciler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How soon a job waiting for a savepoint or a requested checkpoint is looked at again. */
  static final Duration SNAPSHOT_RECHECK = Duration.ofSeconds(2);

  private final OperatorConfig config;
  private final JobObserver observer;
  private final ResourceApplier applier;
  private final EventRecorder events;
  private final CoordinatorClient coordinator = new CoordinatorClient();
  private final SnapshotTrigger snapshots;
  private final Rollback rollback;
  private final JobCleanup cleanup;

  public StateJobReconciler(KubernetesClient client, OperatorConfig config) {
    this.config = config;
    this.observer = new JobObserver(config, coordinator);
    this.applier = new ResourceApplier(client, config.useServerSideApply());
    this.events = new EventRecorder(client);
    this.snapshots = new SnapshotTrigger(coordinator, config, events);
    this.rollback = new Rollback(events);
    this.cleanup = new JobCleanup(client, applier, config, observer, snapshots, events);
  }

  /**
   * Changes of the pods' controllers (ready counts) and of the pods themselves (why one cannot run)
   * trigger a reconcile of their job. Pods are owned by the controllers, not the job: their
   * instance label names it. The other owned objects are watched so that one deleted or edited by
   * hand is repaired at once; Deployments only to replace the coordinator Deployment of an earlier
   * operator version.
   */
  @Override
  public List<EventSource<?, StateJob>> prepareEventSources(EventSourceContext<StateJob> context) {
    String managed = Labels.MANAGED_BY + "=" + Labels.OPERATOR;
    List<EventSource<?, StateJob>> sources =
        new java.util.ArrayList<>(
            List.of(
                new InformerEventSource<>(
                    InformerEventSourceConfiguration.from(Pod.class, StateJob.class)
                        .withLabelSelector(managed)
                        .withSecondaryToPrimaryMapper(
                            pod ->
                                Set.of(
                                    new ResourceID(
                                        pod.getMetadata().getLabels().get(Labels.INSTANCE),
                                        pod.getMetadata().getNamespace())))
                        .build(),
                    context),
                new InformerEventSource<>(
                    InformerEventSourceConfiguration.from(Deployment.class, StateJob.class)
                        .withLabelSelector(managed)
                        .build(),
                    context),
                new InformerEventSource<>(
                    InformerEventSourceConfiguration.from(StatefulSet.class, StateJob.class)
                        .withLabelSelector(managed)
                        .build(),
                    context),
                new InformerEventSource<>(
                    InformerEventSourceConfiguration.from(ConfigMap.class, StateJob.class)
                        .withLabelSelector(managed)
                        .build(),
                    context),
                new InformerEventSource<>(
                    InformerEventSourceConfiguration.from(Service.class, StateJob.class)
                        .withLabelSelector(managed)
                        .build(),
                    context),
                new InformerEventSource<>(
                    InformerEventSourceConfiguration.from(Secret.class, StateJob.class)
                        .withLabelSelector(managed)
                        .build(),
                    context)));
    if (config.networkPolicies().isPresent()) {
      sources.add(
          new InformerEventSource<>(
              InformerEventSourceConfiguration.from(NetworkPolicy.class, StateJob.class)
                  .withLabelSelector(managed)
                  .build(),
              context));
    }
    return sources;
  }

  @Override
  public UpdateControl<StateJob> reconcile(StateJob job, Context<StateJob> context) {
    Observation observation = observer.observe(job, context);
    // the spec as the pods would run it, for the checks before anything is built
    RuntimeConfig runtime = RuntimeConfigMapBuilder.runtimeConfig(job, config);
    StateLayout layout = RuntimeConfigMapBuilder.stateLayout(runtime);
    ValidationResult validation = validate(job, layout, runtime);
    StateJobStatus status =
        StatusBuilder.next(
            job,
            validation,
            observation,
            runtime.get(RuntimeOptions.PARALLELISM),
            validation.isValid() ? checkpointMaxAge(job, runtime) : null,
            Instant.now());
    boolean snapshotPending = false;
    if (validation.isValid()) {
      // both asked for: the coordinator takes the savepoint first, the checkpoint after it
      snapshotPending = snapshots.onSavepointNonce(job, observation, status);
      snapshotPending |= snapshots.onCheckpointNonce(job, observation, status);
      Instant now = Instant.now();
      snapshotPending |= snapshots.onPeriodic(job, observation, status, now);
      snapshots.disposeExpired(job, observation, status, now);
      boolean redeploying = redeploy(job, observation, status);
      rollback.observe(job, status);
      StateJob effective = rollback.effective(job, status, now);
      boolean rolledBack = effective != job;
      String apiToken = observation.api().token().orElseGet(ApiTokenSecretBuilder::newToken);
      // the job id goes into the runtime config, so it is fixed before anything is built
      DesiredResources desired =
          DesiredResources.of(withStatus(effective, status), config, apiToken);
      boolean awaitSavepoint = false;
      boolean rolls = rollsPods(desired, observation);
      if (!redeploying && !rolledBack && !rolls) {
        resumeIfStopped(job, observation, status);
      }
      if (!redeploying && !rolledBack && rolls) {
        switch (restartOnly(desired, observation) ? UpgradeMode.LAST_STATE : upgradeMode(job)) {
          case STATELESS -> {
            status.jobId = StatusBuilder.freshJobIdFor(job);
            status.checkpoints = null; // the new job id has none yet: none is expected
            desired = DesiredResources.of(withStatus(job, status), config, apiToken);
          }
          case SAVEPOINT -> awaitSavepoint = !snapshots.readyToUpgrade(job, observation, status);
          case LAST_STATE -> {}
        }
      }
      if (awaitSavepoint) {
        // the pods stay as they are until the savepoint completed
        status.phase = JobPhase.Upgrading;
        snapshotPending = true;
      } else {
        observation.legacyCoordinator().ifPresent(d -> replaceLegacyCoordinator(job, d));
        apply(job, desired, context);
        if (!rolledBack) {
          rollback.applied(job, status, now);
        }
        status.stateLayout = layout;
      }
    }
    recordEvents(job, StatusBuilder.copyOf(job.getStatus()), status);
    patchStatusIfChanged(job, context, status);
    UpdateControl<StateJob> control = UpdateControl.noUpdate();
    return snapshotPending ? control.rescheduleAfter(SNAPSHOT_RECHECK) : control;
  }

  /** The finalizer's work when the job is deleted: see {@link JobCleanup}. */
  @Override
  public DeleteControl cleanup(StateJob job, Context<StateJob> context) {
    return cleanup.cleanup(job, context);
  }

  /** Patches the job's status when {@code status} differs from it; writes nothing otherwise. */
  static void patchStatusIfChanged(StateJob job, Context<StateJob> context, StateJobStatus status) {
    StateJobStatus before = StatusBuilder.copyOf(job.getStatus());
    if (!JSON.valueToTree(before).equals(JSON.valueToTree(status))) {
      // cached at once: the status carries decisions (the nonce acted on, the job id) that the
      // next reconcile must see, even when it runs before the informer has the update
      PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(
          job,
          context,
          latest -> {
            latest.setStatus(status);
            return latest;
          });
    }
  }

  /** The spec's own checks, then what only the operator knows: the deployed state, sizes. */
  private ValidationResult validate(StateJob job, StateLayout layout, RuntimeConfig runtime) {
    ValidationResult validation =
        PodTemplatePolicy.check(
            job,
            config.privilegedPodsAllowed(),
            StateLayoutGuard.check(job, layout, StateJobValidator.validate(job)));
    if (!validation.isValid()) {
      return validation;
    }
    return RuntimeConfigMapBuilder.sizeProblem(job, runtime)
        .map(problem -> new ValidationResult(List.of(problem), validation.warnings()))
        .orElse(validation);
  }

  private void apply(StateJob job, DesiredResources desired, Context<StateJob> context) {
    int written = 0;
    for (HasMetadata resource : desired.inApplyOrder()) {
      written += applier.apply(resource, context) ? 1 : 0;
    }
    if (written > 0) {
      LOG.atInfo()
          .addKeyValue("job", qualifiedName(job))
          .addKeyValue("written", written)
          .log("applied resources");
    }
  }

  /**
   * Deletes the coordinator Deployment an earlier operator version made, before its StatefulSet is
   * applied. Its pod may still be stopping when the new one starts: the new coordinator's fence in
   * checkpoint storage stops the old one from completing another checkpoint.
   */
  private void replaceLegacyCoordinator(StateJob job, Deployment legacy) {
    LOG.atInfo()
        .addKeyValue("job", qualifiedName(job))
        .log(
            "replacing the coordinator Deployment of an earlier operator version by a StatefulSet");
    applier.delete(legacy);
  }

  /**
   * Resumes a job that stopped with a savepoint for a change of its pods that no longer applies
   * (the spec went back while the savepoint was taken): nothing else would set it going again. The
   * stop recorded for the current generation is left alone: its change was applied, and the old
   * pods are on their way out.
   */
  private void resumeIfStopped(StateJob job, Observation observation, StateJobStatus status) {
    Optional<String> savepoint =
        observation.checkpoints().map(r -> r.stoppedWith()).map(s -> s.path);
    String current = SnapshotTrigger.upgradeRequest(job);
    boolean forTheCurrentChange =
        status.savepoints != null
            && status.savepoints.history.stream()
                .anyMatch(s -> s.path.equals(savepoint.orElse(null)) && current.equals(s.trigger));
    // a coordinator answering for another job (a wrong URL) is not this job's to resume
    boolean ofThisJob = savepoint.isPresent() && savepoint.get().contains("/" + status.jobId + "/");
    if (!ofThisJob || forTheCurrentChange) {
      return;
    }
    Optional<String> failure = coordinator.resume(observation.api());
    if (failure.isEmpty()) {
      events.normal(
          job,
          "Resumed",
          "the job stopped with savepoint "
              + savepoint.get()
              + " for a change that no longer applies; it resumes from that savepoint");
    } else {
      LOG.atWarn()
          .addKeyValue("job", qualifiedName(job))
          .addKeyValue("reason", failure.get())
          .log("cannot resume the stopped job; trying again at the next reconcile");
    }
  }

  /** Whether applying {@code desired} would change the pods of a job that has pods. */
  private static boolean rollsPods(DesiredResources desired, Observation observation) {
    return observation.legacyCoordinator().isPresent()
        || observation
            .coordinator()
            .filter(d -> !ResourceApplier.isCurrent(desired.coordinator(), d))
            .isPresent()
        || observation
            .workers()
            .filter(s -> !ResourceApplier.isCurrent(desired.workers(), s))
            .isPresent();
  }

  /**
   * Acts on a new {@code restore.redeployNonce}: the job restarts from exactly {@code
   * restore.path}, under a job id of its own, which holds no checkpoint, so the new coordinator
   * finds none before the path. The job's earlier checkpoints stay under the old id. A nonce the
   * job is created with is recorded only: a new job starts from the path anyway.
   *
   * @return whether the job is redeployed now
   */
  private boolean redeploy(StateJob job, Observation observation, StateJobStatus status) {
    Long nonce = job.getSpec().restore == null ? null : job.getSpec().restore.redeployNonce;
    if (nonce == null || status.redeploy != null && nonce.equals(status.redeploy.lastNonce)) {
      return false;
    }
    status.redeploy = new RedeployStatus();
    status.redeploy.lastNonce = nonce;
    status.redeploy.path = job.getSpec().restore.path;
    if (!observation.hasCoordinator()) {
      status.redeploy.jobId = status.jobId;
      return false;
    }
    status.jobId = StatusBuilder.jobIdFor(job) + "-r" + nonce;
    status.checkpoints = null; // the new job id has none yet: none is expected
    status.redeploy.jobId = status.jobId;
    events.normal(
        job,
        "Redeploying",
        "redeploying from "
            + status.redeploy.path
            + " (restore.redeployNonce "
            + nonce
            + ") under job id "
            + status.jobId);
    return true;
  }

  /**
   * Whether the pods change only to restart ({@code restartNonce}, or a stall of the checkpoints):
   * from the latest checkpoint whatever the upgrade mode, as no spec change comes with it.
   */
  private static boolean restartOnly(DesiredResources desired, Observation observation) {
    return observation
        .workers()
        .map(deployed -> !rollsPods(desired.withRestartsOf(deployed), observation))
        .orElse(false);
  }

  private static Duration checkpointMaxAge(StateJob job, RuntimeConfig runtime) {
    return CheckpointProgress.maxAge(
        job.getSpec().checkpoints == null ? null : job.getSpec().checkpoints.maxAge,
        runtime.get(RuntimeOptions.CHECKPOINT_INTERVAL),
        runtime.get(RuntimeOptions.CHECKPOINT_TIMEOUT));
  }

  private static UpgradeMode upgradeMode(StateJob job) {
    return job.getSpec().upgradeMode == null ? UpgradeMode.LAST_STATE : job.getSpec().upgradeMode;
  }

  private void recordEvents(StateJob job, StateJobStatus before, StateJobStatus after) {
    // a new reason why the job is not ready that is no phase: a failure or a pod problem
    Conditions.find(after.conditions, Conditions.READY)
        .filter(c -> "False".equals(c.getStatus()) && !Conditions.isPhase(c.getReason()))
        .filter(
            c ->
                !Conditions.find(before.conditions, Conditions.READY)
                    .map(was -> c.getReason().equals(was.getReason()))
                    .orElse(false))
        .ifPresent(c -> events.warning(job, c.getReason(), c.getMessage()));
    Conditions.find(after.conditions, Conditions.SPEC_VALID)
        .filter(c -> "False".equals(c.getStatus()))
        .filter(
            c ->
                !Conditions.find(before.conditions, Conditions.SPEC_VALID)
                    .equals(java.util.Optional.of(c)))
        .ifPresent(c -> events.warning(job, "InvalidSpec", c.getMessage()));
    long stallsBefore =
        before.stalls == null || before.stalls.restarts == null ? 0 : before.stalls.restarts;
    if (after.stalls != null
        && after.stalls.restarts != null
        && after.stalls.restarts > stallsBefore) {
      events.warning(
          job,
          "CheckpointStalled",
          Conditions.find(after.conditions, Conditions.CHECKPOINTS_HEALTHY)
                  .map(c -> c.getMessage())
                  .orElse("no checkpoint completed")
              + "; restarting the job from its latest checkpoint");
    }
    CheckpointsStatus was = before.checkpoints;
    CheckpointsStatus now = after.checkpoints;
    if (now == null) {
      return;
    }
    long failedBefore = was == null || was.failed == null ? 0 : was.failed;
    if (now.failed != null && now.failed > failedBefore) {
      events.warning(
          job, "CheckpointFailed", (now.failed - failedBefore) + " checkpoint(s) failed");
    }
    if (now.restoredFrom != null
        && (was == null
            || was.restoredFrom == null
            || !Objects.equals(was.restoredFrom.id, now.restoredFrom.id)
            || !Objects.equals(was.restoredFrom.at, now.restoredFrom.at))) {
      events.normal(
          job,
          "Restored",
          "restored from checkpoint " + now.restoredFrom.id + " at " + now.restoredFrom.path);
    }
  }

  private static String qualifiedName(StateJob job) {
    return job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }

  private static StateJob withStatus(StateJob job, StateJobStatus status) {
    StateJob copy = JSON.convertValue(job, StateJob.class);
    copy.setStatus(status);
    return copy;
  }
}
