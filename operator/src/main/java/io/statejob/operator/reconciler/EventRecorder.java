package io.statejob.operator.reconciler;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.statejob.api.model.StateJob;
import io.statejob.operator.resources.ConfigHash;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a StateJob, shown by {@code kubectl describe sj}. An event that repeats
 * (same job, type, reason and message) is one Event whose {@code count} and {@code lastTimestamp}
 * go up, as the kubelet's do, so a job failing the same way at every reconcile does not flood the
 * namespace. Counts are kept in memory: after an operator restart a repeat only moves {@code
 * lastTimestamp}.
 */
final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int REMEMBERED = 10_000;

  private final KubernetesClient client;

  /** Event name → how often it was recorded, for the most recent events. */
  private final Map<String, Integer> counts =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
          return size() > REMEMBERED;
        }
      };

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
    String name =
        job.getMetadata().getName()
            + "."
            + ConfigHash.sha256(
                    String.join("\n", job.getMetadata().getUid(), type, reason, message))
                .substring(0, 16);
    try {
      Integer count;
      synchronized (counts) {
        count = counts.merge(name, 1, Integer::sum);
      }
      if (count > 1 || !create(job, name, type, reason, message, now)) {
        repeat(job, name, count, now);
      }
    } catch (KubernetesClientException e) {
      // an event is a courtesy: failing to record one must not fail the reconcile
      LOG.atWarn()
          .addKeyValue("reason", reason)
          .addKeyValue("error", e.getMessage())
          .log("could not record event");
    }
  }

  /** Returns false when the event exists already: recorded by an earlier operator run. */
  private boolean create(
      StateJob job, String name, String type, String reason, String message, String now) {
    try {
      client
          .v1()
          .events()
          .inNamespace(job.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name)
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
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  /** One merge patch: the count (when known) and the last time. */
  private void repeat(StateJob job, String name, int count, String now) {
    String countField = count > 1 ? "\"count\":" + count + "," : "";
    client
        .v1()
        .events()
        .inNamespace(job.getMetadata().getNamespace())
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{" + countField + "\"lastTimestamp\":\"" + now + "\"}");
  }
}
