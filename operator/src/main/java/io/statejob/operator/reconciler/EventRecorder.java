package io.statejob.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.statejob.api.model.StateJob;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events on a StateJob, shown by {@code kubectl describe sj}. */
final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private final KubernetesClient client;

  EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  void normal(StateJob job, String reason, String message) {
    record(job, "Normal", reason, message);
  }

  void warning(StateJob job, String reason, String message) {
    record(job, "Warning", reason, message);
  }

  private void record(StateJob job, String type, String reason, String message) {
    String now = Instant.now().toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(job.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(job.getMetadata().getName() + "." + UUID.randomUUID())
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(StateJob.API_VERSION)
                  .withKind("StateJob")
                  .withName(job.getMetadata().getName())
                  .withNamespace(job.getMetadata().getNamespace())
                  .withUid(job.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent("statejob-operator")
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      // an event is a courtesy: failing to record one must not fail the reconcile
      LOG.atWarn()
          .addKeyValue("reason", reason)
          .addKeyValue("error", e.getMessage())
          .log("could not record event");
    }
  }
}
