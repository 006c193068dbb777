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
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobStatus;
import io.statejob.operator.config.OperatorConfig;
import io.statejob.operator.observer.CoordinatorClient;
import io.statejob.operator.observer.JobObserver;
import io.statejob.operator.observer.Observation;
import io.statejob.operator.resources.ApiTokenSecretBuilder;
import io.statejob.operator.resources.Labels;
import io.statejob.operator.status.StatusBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Observe → plan → write status → act, the order of the Flink operator: the {@link JobPlanner}
 * decides from what was observed, with no call to anything; the status it planned is written first,
 * so that an operator stopped half-way through acting leaves a status that says what it set out to
 * do (a new job id, the nonce acted on), and the next reconcile carries it on. Acting then asks the
 * coordinator for snapshots, resumes a stopped job, applies the desired resources (each written
 * only when it changed) and disposes of expired savepoints.
 */
public final class StateJobReconciler implements Reconciler<StateJob>, Cleaner<StateJob> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MANAGED = Labels.MANAGED_BY + "=" + Labels.OPERATOR;

  private final OperatorConfig config;
  private final JobObserver observer;
  private final JobPlanner planner;
  private final PlanActions actions;
  private final JobCleanup cleanup;

  public StateJobReconciler(KubernetesClient client, OperatorConfig config) {
    this.config = config;
    CoordinatorClient coordinator = new CoordinatorClient();
    this.observer = new JobObserver(config, coordinator);
    this.planner = new JobPlanner(config, ApiTokenSecretBuilder::newToken);
    ResourceApplier applier = new ResourceApplier(client, config.useServerSideApply());
    EventRecorder events = new EventRecorder(client);
    this.actions = new PlanActions(coordinator, applier, events);
    this.cleanup = new JobCleanup(client, applier, config, observer, actions, events);
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
    List<EventSource<?, StateJob>> sources =
        new java.util.ArrayList<>(
            List.of(
                new InformerEventSource<>(
                    InformerEventSourceConfiguration.from(Pod.class, StateJob.class)
                        .withLabelSelector(MANAGED)
                        .withSecondaryToPrimaryMapper(
                            pod ->
                                Set.of(
                                    new ResourceID(
                                        pod.getMetadata().getLabels().get(Labels.INSTANCE),
                                        pod.getMetadata().getNamespace())))
                        .build(),
                    context),
                owned(Deployment.class, context),
                owned(StatefulSet.class, context),
                owned(ConfigMap.class, context),
                owned(Service.class, context),
                owned(Secret.class, context)));
    if (config.networkPolicies().isPresent()) {
      sources.add(owned(NetworkPolicy.class, context));
    }
    return sources;
  }

  /** An informer of the objects of {@code type} the operator made, each mapped to its owner. */
  private static <R extends HasMetadata> InformerEventSource<R, StateJob> owned(
      Class<R> type, EventSourceContext<StateJob> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, StateJob.class)
            .withLabelSelector(MANAGED)
            .build(),
        context);
  }

  @Override
  public UpdateControl<StateJob> reconcile(StateJob job, Context<StateJob> context) {
    Observation observation = observer.observe(job, context);
    Plan plan = planner.plan(job, observation, Instant.now());
    StateJob written = patchStatusIfChanged(job, context, plan.status());
    actions.carryOut(written, plan, observation, context);
    UpdateControl<StateJob> control = UpdateControl.noUpdate();
    return plan.requeue().map(control::rescheduleAfter).orElse(control);
  }

  /** The finalizer's work when the job is deleted: see {@link JobCleanup}. */
  @Override
  public DeleteControl cleanup(StateJob job, Context<StateJob> context) {
    return cleanup.cleanup(job, context);
  }

  /**
   * Patches the job's status when {@code status} differs from it; writes nothing otherwise.
   *
   * @return the job as it is now, with {@code status}
   */
  static StateJob patchStatusIfChanged(
      StateJob job, Context<StateJob> context, StateJobStatus status) {
    StateJobStatus before = StatusBuilder.copyOf(job.getStatus());
    if (JSON.valueToTree(before).equals(JSON.valueToTree(status))) {
      return job;
    }
    // cached at once: the status carries decisions (the nonce acted on, the job id) that the
    // next reconcile must see, even when it runs before the informer has the update
    return PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(
        job,
        context,
        latest -> {
          latest.setStatus(StatusBuilder.copyOf(status));
          return latest;
        });
  }
}
