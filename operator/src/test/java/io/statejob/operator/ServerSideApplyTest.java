package io.statejob.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.statejob.operator.config.OperatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator as the chart runs it, with server-side apply, against a mock API server whose CRUD
 * mode also takes apply patches (it has none of its own): an applied object that exists is merged,
 * one that does not is created. The test checks what the operator sends: every owned object written
 * by an apply patch under its field manager, with {@code force}, and nothing created or replaced.
 */
class ServerSideApplyTest {
  private final ApplyPatches dispatcher = new ApplyPatches();
  private KubernetesMockServer server;
  private KubernetesClient client;
  private FakeCoordinator coordinator;
  private RunningOperator operator;

  /** CRUD mode plus {@code application/apply-patch+yaml}, each apply patch recorded. */
  static final class ApplyPatches extends KubernetesCrudDispatcher {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    final List<Applied> applied = new CopyOnWriteArrayList<>();

    /** An apply patch as sent: its path with the query, and its body. */
    record Applied(String path, String body) {}

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
      String type = request.getHeader("Content-Type");
      if (type == null || !type.startsWith("application/apply-patch")) {
        return super.handlePatch(request);
      }
      String body = request.getUtf8Body();
      applied.add(new Applied(request.getPath(), body));
      String json;
      try {
        json = new ObjectMapper().writeValueAsString(YAML.readTree(body));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String path = request.getPath().split("\\?")[0];
      if (handleGet(path).code() == 404) {
        String collection = path.substring(0, path.lastIndexOf('/'));
        return handleCreate(request(HttpMethod.POST, collection, "application/json", json));
      }
      return super.handlePatch(
          request(HttpMethod.PATCH, path, "application/merge-patch+json", json));
    }

    private static RecordedRequest request(
        HttpMethod method, String path, String contentType, String body) {
      return new RecordedRequest(
          method + " " + path + " HTTP/1.1",
          method,
          path,
          Headers.builder().add("Content-Type", contentType).build(),
          new Buffer().writeUtf8(body));
    }
  }

  @BeforeEach
  void start() throws Exception {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client = server.createClient();
    StateJobs.installCrd(client);
    coordinator = new FakeCoordinator();
    OperatorConfig config =
        new OperatorConfig(
            "statejob-runtime:test",
            Map.of(),
            null,
            "1s",
            null,
            true,
            coordinator.url(),
            null,
            null,
            null,
            null,
            null);
    operator = RunningOperator.start(client, config);
  }

  @AfterEach
  void stop() {
    operator.close();
    coordinator.close();
    client.close();
    server.destroy();
  }

  @Test
  void ownedObjectsAreWrittenByForcedApplyPatchesOfTheOperatorsFieldManager() throws Exception {
    client.resource(StateJobs.filesystem("applied")).create();
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(() -> workers().getSpec().getReplicas() == 3);
    StateJobs.editSpec(client, "jobs", "applied", spec -> spec.parallelism = 4);
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(() -> workers().getSpec().getReplicas() == 4);

    List<String> owned =
        dispatcher.applied.stream()
            .map(r -> r.path().split("\\?")[0])
            .filter(p -> p.matches(".*/(configmaps|services|statefulsets)/.*"))
            .toList();
    assertThat(owned)
        .contains(
            "/api/v1/namespaces/jobs/configmaps/applied-config",
            "/api/v1/namespaces/jobs/services/applied-coordinator",
            "/api/v1/namespaces/jobs/services/applied-worker",
            "/apis/apps/v1/namespaces/jobs/statefulsets/applied-coordinator",
            "/apis/apps/v1/namespaces/jobs/statefulsets/applied-worker");
    assertThat(dispatcher.applied)
        .allSatisfy(
            r -> assertThat(r.path()).contains("fieldManager=statejob-operator", "force=true"));
    assertThat(
            dispatcher.applied.stream()
                .filter(r -> r.path().contains("/statefulsets/applied-worker"))
                .reduce((first, second) -> second)
                .orElseThrow()
                .body())
        .contains("statejob.io/desired-hash")
        .contains("\"replicas\":4");

    List<String> writes = new java.util.ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
      if (request.getPath().matches(".*/(configmaps|services|statefulsets)(/.*)?")
          && List.of("POST", "PUT").contains(request.getMethod())) {
        writes.add(request.getMethod() + " " + request.getPath());
      }
    }
    assertThat(writes).as("owned objects created or replaced, not applied").isEmpty();
  }

  private StatefulSet workers() {
    return client.apps().statefulSets().inNamespace("jobs").withName("applied-worker").get();
  }
}
