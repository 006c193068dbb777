package io.statejob.operator.resources;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.statejob.api.model.StateJob;
import io.statejob.operator.config.OperatorConfig;

/** The Deployment {@code <job>-coordinator}: one pod that triggers and completes checkpoints. */
public final class CoordinatorDeploymentBuilder {
  private CoordinatorDeploymentBuilder() {}

  public static Deployment build(StateJob job, OperatorConfig operator, String configHash) {
    return new DeploymentBuilder()
        .withMetadata(OwnedMetadata.of(job, ResourceNames.coordinator(job), Labels.COORDINATOR))
        .withNewSpec()
        .withReplicas(Boolean.TRUE.equals(job.getSpec().suspend) ? 0 : 1)
        // never two coordinators at once: the old one stops before the new one starts
        .withNewStrategy()
        .withType("Recreate")
        .endStrategy()
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
