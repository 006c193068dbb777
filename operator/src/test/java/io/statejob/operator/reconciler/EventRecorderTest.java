package io.statejob.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.statejob.api.model.StateJob;
import io.statejob.operator.StateJobs;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Repeated events are counted on one Event, as the kubelet's are, on the mock API server. */
@EnableKubernetesMockClient(crud = true)
class EventRecorderTest {
  static KubernetesClient client;

  @Test
  void aRepeatedEventCountsUpAndADifferentOneIsAnotherEvent() {
    StateJob job = StateJobs.memory("noisy");
    EventRecorder events = new EventRecorder(client);
    for (int i = 0; i < 3; i++) {
      events.warning(job, "CheckpointFailed", "1 checkpoint(s) failed");
    }
    events.warning(job, "CheckpointFailed", "2 checkpoint(s) failed");

    assertThat(events("noisy"))
        .extracting(Event::getMessage, Event::getCount)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1 checkpoint(s) failed", 3),
            org.assertj.core.groups.Tuple.tuple("2 checkpoint(s) failed", 1));
  }

  @Test
  void anEventOfAnEarlierOperatorRunIsUpdatedNotDuplicated() {
    StateJob job = StateJobs.memory("restarted");
    new EventRecorder(client).normal(job, "Restored", "restored from checkpoint 4");
    String first = events("restarted").get(0).getLastTimestamp();

    new EventRecorder(client).normal(job, "Restored", "restored from checkpoint 4");
    assertThat(events("restarted"))
        .singleElement()
        .satisfies(e -> assertThat(e.getLastTimestamp()).isGreaterThanOrEqualTo(first));
  }

  private static List<Event> events(String job) {
    return client.v1().events().inNamespace("jobs").list().getItems().stream()
        .filter(e -> job.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(Event::getMessage))
        .toList();
  }
}
