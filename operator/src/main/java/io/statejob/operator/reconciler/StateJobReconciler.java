package io.statejob.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.statejob.api.model.CheckpointsStatus;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobStatus;
import io.statejob.api.validation.StateJobValidator;
import io.statejob.api.validation.ValidationResult;
import io.statejob.operator.config.OperatorConfig;
import io.statejob.operator.observer.JobObserver;
import io.statejob.operator.observer.Observation;
import io.statejob.operator.resources.DesiredResources;
import io.statejob.operator.resources.Labels;
import io.statejob.operator.status.Conditions;
import io.statejob.operator.status.StatusBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observe → validate → reconcile. An invalid spec is reported in status and touches nothing else; a
 * valid one is applied as its desired resources, each written only when it changed; the status is
 * patched only when it differs.
 */
public final class StateJobReconciler implements Reconciler<StateJob> {
  private static final Logger LOG = LoggerFactory.getLogger(StateJobReconciler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OperatorConfig config;
  private final JobObserver observer;
  private final ResourceApplier applier;
  private final EventRecorder events;

  public StateJobReconciler(KubernetesClient client, OperatorConfig config) {
    this.config = config;
    this.observer = new JobObserver(client, config);
    this.applier = new ResourceApplier(client, config.useServerSideApply());
    this.events = new EventRecorder(client);
  }

  /** Changes of the pods' controllers (ready counts) trigger a reconcile of their job. */
  @Override
  public List<EventSource<?, StateJob>> prepareEventSources(EventSourceContext<StateJob> context) {
    String managed = Labels.MANAGED_BY + "=" + Labels.OPERATOR;
    return List.of(
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Deployment.class, StateJob.class)
                .withLabelSelector(managed)
                .build(),
            context),
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(StatefulSet.class, StateJob.class)
                .withLabelSelector(managed)
                .build(),
            context));
  }

  @Override
  public UpdateControl<StateJob> reconcile(StateJob job, Context<StateJob> context) {
    Observation observation = observer.observe(job);
    ValidationResult validation = StateJobValidator.validate(job);
    StateJobStatus status = StatusBuilder.next(job, validation, observation, Instant.now());
    if (validation.isValid()) {
      // the job id goes into the runtime config, so it is fixed before anything is built
      StateJob withId = withStatus(job, status);
      int written = 0;
      for (HasMetadata resource : DesiredResources.of(withId, config).inApplyOrder()) {
        written += applier.apply(resource) ? 1 : 0;
      }
      if (written > 0) {
        LOG.atInfo()
            .addKeyValue(
                "job", job.getMetadata().getNamespace() + "/" + job.getMetadata().getName())
            .addKeyValue("written", written)
            .log("applied resources");
      }
    }
    StateJobStatus before = StatusBuilder.copyOf(job.getStatus());
    recordEvents(job, before, status);
    if (JSON.valueToTree(before).equals(JSON.valueToTree(status))) {
      return UpdateControl.noUpdate();
    }
    job.setStatus(status);
    return UpdateControl.patchStatus(job);
  }

  private void recordEvents(StateJob job, StateJobStatus before, StateJobStatus after) {
    Conditions.find(after.conditions, Conditions.SPEC_VALID)
        .filter(c -> "False".equals(c.getStatus()))
        .filter(
            c ->
                !Conditions.find(before.conditions, Conditions.SPEC_VALID)
                    .equals(java.util.Optional.of(c)))
        .ifPresent(c -> events.warning(job, "InvalidSpec", c.getMessage()));
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

  private static StateJob withStatus(StateJob job, StateJobStatus status) {
    StateJob copy = JSON.convertValue(job, StateJob.class);
    copy.setStatus(status);
    return copy;
  }
}
