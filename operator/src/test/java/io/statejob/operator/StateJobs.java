package io.statejob.operator;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobSpec;

/** StateJob resources for tests, written as a user would write them. */
public final class StateJobs {
  private StateJobs() {}

  /** Installs the generated CRD, so the API server serves StateJobs and their status. */
  public static void installCrd(io.fabric8.kubernetes.client.KubernetesClient client) {
    client
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .load(java.nio.file.Path.of("..", "crds", "statejobs.statejob.io-v1.yml").toFile())
        .createOr(r -> r.update());
  }

  /**
   * Changes a job's spec as {@code kubectl apply} does: the edited spec replaces the stored one,
   * without the resource version, so the operator's concurrent status writes cannot make it
   * conflict. A JSON patch, not a merge patch: the mock API server appends the lists of a merge
   * patch to the stored ones (a new nonce doubled {@code job.args} and so rolled the pods).
   */
  public static void editSpec(
      io.fabric8.kubernetes.client.KubernetesClient client,
      String namespace,
      String name,
      java.util.function.Consumer<StateJobSpec> edit) {
    var resource = client.resources(StateJob.class).inNamespace(namespace).withName(name);
    StateJobSpec spec = resource.get().getSpec();
    edit.accept(spec);
    resource.patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
        Serialization.asJson(
            java.util.List.of(java.util.Map.of("op", "replace", "path", "/spec", "value", spec))));
  }

  /** A job named {@code name} in namespace {@code jobs} with the given spec lines. */
  public static StateJob of(String name, String spec) {
    StateJob job =
        Serialization.unmarshal(
            """
            apiVersion: statejob.io/v1alpha1
            kind: StateJob
            metadata:
              name: %s
              namespace: jobs
            spec:
              job: {className: io.statejob.examples.KeyStatisticsJob, args: [--events, "1000"]}
            """
                    .formatted(name)
                + spec.indent(2),
            StateJob.class);
    job.getMetadata().setUid("0123456789abcdef-" + name);
    job.getMetadata().setGeneration(1L);
    return job;
  }

  public static StateJob memory(String name) {
    return of(name, "parallelism: 2\nstateBackend: {type: memory}");
  }

  public static StateJob filesystem(String name) {
    return of(
        name,
        "parallelism: 3\nstateBackend: {type: filesystem}\ncheckpoints: {uri: file:///checkpoints}");
  }

  public static StateJob rocksdb(String name) {
    return of(
        name,
        """
        parallelism: 4
        stateBackend:
          type: rocksdb
          incremental: true
          localStorage: {size: 20Gi, storageClassName: fast}
        checkpoints: {uri: s3a://bucket/checkpoints, interval: 30s}
        storage: {s3: {endpoint: 'http://minio:9000', pathStyleAccess: true, credentialsSecret: s3-creds}}
        """);
  }
}
