package io.statejob.operator.resources;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.statejob.api.model.StateJob;
import io.statejob.operator.config.OperatorConfig;

/**
 * The StatefulSet {@code <job>-coordinator}: the one pod that triggers and completes checkpoints. A
 * StatefulSet, not a Deployment, because it runs at most one pod of an identity: it starts {@code
 * <job>-coordinator-0} again only once the old pod is known to be gone, where a Deployment may
 * start a replacement beside a pod on a partitioned node. The checkpoint storage's coordinator
 * fence covers what Kubernetes cannot (a pod deleted by force).
 */
public final class CoordinatorStatefulSetBuilder {
  private CoordinatorStatefulSetBuilder() {}

  public static StatefulSet build(StateJob job, OperatorConfig operator, String configHash) {
    return new StatefulSetBuilder()
        .withMetadata(OwnedMetadata.of(job, ResourceNames.coordinator(job), Labels.COORDINATOR))
        .withNewSpec()
        .withReplicas(Boolean.TRUE.equals(job.getSpec().suspend) ? 0 : 1)
        .withServiceName(ResourceNames.coordinator(job))
        .withNewSelector()
        .withMatchLabels(Labels.selector(job, Labels.COORDINATOR))
        .endSelector()
        .withTemplate(
            PodSpecs.template(
                job,
                operator,
                Labels.COORDINATOR,
                configHash,
                job.getSpec().resources == null ? null : job.getSpec().resources.coordinator,
                false,
                false))
        .endSpec()
        .build();
  }
}
