package io.statejob.operator;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.statejob.operator.config.OperatorConfig;
import java.util.Map;

/** What tests add to the mock API server to stand for a real cluster. */
public final class MockApi {
  private MockApi() {}

  /** The operator's pods as the chart labels them, in namespace {@code operators}. */
  public static final OperatorConfig.NetworkPolicySettings NETWORK_POLICY =
      new OperatorConfig.NetworkPolicySettings(
          true, "operators", Map.of("app.kubernetes.io/name", "statejob-operator"), null);

  /**
   * The config of an operator on the mock API server: without server-side apply, which the mock
   * lacks, reconciling every second, with the coordinators at {@code coordinatorUrl}, and a
   * NetworkPolicy per job as the chart's default.
   */
  public static OperatorConfig operatorConfig(String coordinatorUrl, boolean leaderElection) {
    return new OperatorConfig(
        "statejob-runtime:test",
        Map.of(),
        null,
        "1s",
        leaderElection
            ? new OperatorConfig.LeaderElection(true, "statejob-operator", "operators")
            : null,
        false,
        coordinatorUrl,
        null,
        null,
        null,
        NETWORK_POLICY,
        null);
  }

  /** JOSDK checks its permissions before it runs for leader; the mock answers any review. */
  public static void answerPermissionReviews(KubernetesMockServer server) {
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            "{\"status\":{\"resourceRules\":[{\"verbs\":[\"*\"],"
                + "\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}]}}")
        .always();
  }

  /** What an operator before the coordinator StatefulSet made: the same pod, by a Deployment. */
  public static Deployment earlierCoordinatorDeployment(StatefulSet coordinator) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(coordinator.getMetadata().getName())
        .withNamespace(coordinator.getMetadata().getNamespace())
        .withLabels(coordinator.getMetadata().getLabels())
        .withOwnerReferences(coordinator.getMetadata().getOwnerReferences())
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withSelector(coordinator.getSpec().getSelector())
        .withTemplate(coordinator.getSpec().getTemplate())
        .endSpec()
        .build();
  }

  /** Plays the Job controller: the Job's pods ended, as its condition {@code type} says. */
  public static void finishJob(
      io.fabric8.kubernetes.client.KubernetesClient client,
      io.fabric8.kubernetes.api.model.batch.v1.Job job,
      String type) {
    job.setStatus(
        new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
            .withConditions(
                new io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder()
                    .withType(type)
                    .withStatus("True")
                    .build())
            .build());
    client.resource(job).updateStatus();
  }
}
