package io.statejob.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statejob.operator.FakeCoordinator;
import io.statejob.operator.MockApi;
import io.statejob.operator.OperatorFactory;
import io.statejob.operator.StateJobs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The chart's RBAC grants exactly the calls the operator makes: the real operator runs a job's life
 * on the mock API server (create, checkpoints, a failure event, a spec change, objects changed by
 * hand, an earlier operator's coordinator Deployment, leader election), its requests are recorded
 * by their user agent, and each is matched against the rendered rules, and each rule against the
 * calls.
 */
@EnableKubernetesMockClient(crud = true)
class RbacTest {
  static KubernetesMockServer server;
  static KubernetesClient client;

  /** One API call, as RBAC sees it. */
  record Call(String group, String resource, String verb) {
    @Override
    public String toString() {
      return verb + " " + (group.isEmpty() ? "" : group + "/") + resource;
    }

    /** {@code GET /apis/apps/v1/namespaces/jobs/statefulsets/x} is a get of apps/statefulsets. */
    static Call of(RecordedRequest request) {
      String[] pathAndQuery = request.getPath().split("\\?", 2);
      boolean watch = pathAndQuery.length > 1 && pathAndQuery[1].contains("watch=true");
      List<String> segments = List.of(pathAndQuery[0].substring(1).split("/"));
      String group = segments.get(0).equals("api") ? "" : segments.get(1);
      int at = segments.get(0).equals("api") ? 2 : 3;
      if (segments.size() > at + 2 && segments.get(at).equals("namespaces")) {
        at += 2;
      }
      String resource = segments.get(at);
      boolean named = segments.size() > at + 1;
      if (segments.size() > at + 2) {
        resource += "/" + segments.get(at + 2);
      }
      String verb =
          switch (request.getMethod()) {
            case "GET" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> request.getMethod();
          };
      return new Call(group, resource, verb);
    }

    boolean allowedBy(PolicyRule rule) {
      return rule.getApiGroups().contains(group)
          && rule.getResources().contains(resource)
          && rule.getVerbs().contains(verb);
    }
  }

  @Test
  void theRulesGrantEveryCallTheOperatorMakesAndNothingElse() throws Exception {
    Set<Call> calls = callsOfAJobsLife();
    List<PolicyRule> rules = HelmChartTest.rules(HelmChartTest.render("serverSideApply", "false"));

    assertThat(calls)
        .as("calls no rule allows")
        .allMatch(call -> rules.stream().anyMatch(call::allowedBy));
    Set<Call> granted = new TreeSet<>(java.util.Comparator.comparing(Call::toString));
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          rule.getVerbs().forEach(verb -> granted.add(new Call(group, resource, verb)));
        }
      }
    }
    granted.removeAll(calls);
    assertThat(granted)
        .as("grants no call needs")
        // an owner reference that blocks the owner's deletion needs it; no call is made with it
        .containsExactly(new Call("statejob.io", "statejobs/finalizers", "update"));
  }

  @Test
  void withServerSideApplyOwnedObjectsArePatchedNotCreatedOrReplaced() {
    List<PolicyRule> rules = HelmChartTest.rules(HelmChartTest.render());
    assertThat(rules)
        .filteredOn(
            r ->
                r.getResources().contains("configmaps")
                    || r.getResources().contains("statefulsets"))
        .hasSize(2)
        .allSatisfy(
            r ->
                assertThat(r.getVerbs())
                    .contains("list", "watch", "patch")
                    .doesNotContain("create", "update"));
  }

  /** The distinct calls the operator made while it ran a job through its life. */
  private static Set<Call> callsOfAJobsLife() throws Exception {
    MockApi.answerPermissionReviews(server);
    StateJobs.installCrd(client);
    List<RecordedRequest> requests = new ArrayList<>();
    try (FakeCoordinator coordinator = new FakeCoordinator();
        KubernetesClient operatorClient = OperatorFactory.client(client.getConfiguration())) {
      Operator operator =
          OperatorFactory.create(
              operatorClient,
              MockApi.operatorConfig(coordinator.url(), true),
              new SimpleMeterRegistry(),
              "rbac",
              () -> {});
      operator.start();
      client.resource(StateJobs.memory("life")).create();
      await().atMost(Duration.ofSeconds(20)).until(() -> workers("life") != null);
      coordinator.report(3, 1, 1); // a status patch and a CheckpointFailed event
      StateJobs.editSpec(client, "jobs", "life", spec -> spec.parallelism = 3);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> workers("life").getSpec().getReplicas() == 3);
      // a Service an earlier operator version wrote is replaced
      client
          .services()
          .inNamespace("jobs")
          .withName("life-coordinator")
          .edit(
              service -> {
                service.getMetadata().getAnnotations().put("statejob.io/desired-hash", "older");
                return service;
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  !"older"
                      .equals(
                          client
                              .services()
                              .inNamespace("jobs")
                              .withName("life-coordinator")
                              .get()
                              .getMetadata()
                              .getAnnotations()
                              .get("statejob.io/desired-hash")));
      // the API token and the NetworkPolicy changed by hand are repaired
      client
          .secrets()
          .inNamespace("jobs")
          .withName("life-api-token")
          .edit(
              secret -> {
                secret.getData().put("token", "ZWRpdGVk");
                secret.getMetadata().getLabels().put("edited", "by-hand");
                return secret;
              });
      client
          .network()
          .networkPolicies()
          .inNamespace("jobs")
          .withName("life")
          .edit(
              policy -> {
                policy.getSpec().setIngress(List.of());
                return policy;
              });
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  !client
                          .network()
                          .networkPolicies()
                          .inNamespace("jobs")
                          .withName("life")
                          .get()
                          .getSpec()
                          .getIngress()
                          .isEmpty()
                      && !client
                          .secrets()
                          .inNamespace("jobs")
                          .withName("life-api-token")
                          .get()
                          .getMetadata()
                          .getLabels()
                          .containsKey("edited"));
      client
          .resource(
              MockApi.earlierCoordinatorDeployment(
                  client
                      .apps()
                      .statefulSets()
                      .inNamespace("jobs")
                      .withName("life-coordinator")
                      .get()))
          .create();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  client.apps().deployments().inNamespace("jobs").withName("life-coordinator").get()
                      == null);
      deleteWithAFailedCleanupFirst("gone");
      Thread.sleep(2500); // lease renewals and periodic reconciles
      operator.stop();
    }
    RecordedRequest request;
    while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      if (request.getHeader("User-Agent").startsWith(OperatorFactory.USER_AGENT)) {
        requests.add(request);
      }
    }
    Set<Call> calls = new TreeSet<>(java.util.Comparator.comparing(Call::toString));
    requests.forEach(r -> calls.add(Call.of(r)));
    return calls;
  }

  /**
   * Deletes a job whose checkpoints go with it (the finalizer's calls), playing the Job controller:
   * the first two cleanup pods fail, so the operator deletes their Jobs and starts others.
   */
  private static void deleteWithAFailedCleanupFirst(String name) {
    client
        .resource(
            StateJobs.of(
                name,
                "stateBackend: {type: filesystem}\n"
                    + "checkpoints: {uri: file:///c, cleanupOnDelete: true}"))
        .create();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              var job =
                  client
                      .resources(io.statejob.api.model.StateJob.class)
                      .inNamespace("jobs")
                      .withName(name)
                      .get();
              return job.getStatus() != null && job.getStatus().jobId != null;
            });
    client
        .resources(io.statejob.api.model.StateJob.class)
        .inNamespace("jobs")
        .withName(name)
        .delete();
    Job first =
        await().atMost(Duration.ofSeconds(20)).until(() -> cleanupJob(name), j -> j != null);
    MockApi.finishJob(client, first, "Failed");
    Job second =
        await().atMost(Duration.ofSeconds(20)).until(() -> nextJob(name, first), j -> j != null);
    MockApi.finishJob(
        client, second, "Failed"); // the same CleanupFailed event again: a patch of its count
    Job third =
        await().atMost(Duration.ofSeconds(20)).until(() -> nextJob(name, second), j -> j != null);
    MockApi.finishJob(client, third, "Complete");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                client
                        .resources(io.statejob.api.model.StateJob.class)
                        .inNamespace("jobs")
                        .withName(name)
                        .get()
                    == null);
  }

  /** The cleanup Job started after {@code previous}, once there is one. */
  private static Job nextJob(String name, Job previous) {
    Job job = cleanupJob(name);
    return job != null && !job.getMetadata().getUid().equals(previous.getMetadata().getUid())
        ? job
        : null;
  }

  private static Job cleanupJob(String name) {
    return client.batch().v1().jobs().inNamespace("jobs").withName(name + "-cleanup").get();
  }

  private static StatefulSet workers(String job) {
    return client.apps().statefulSets().inNamespace("jobs").withName(job + "-worker").get();
  }
}
