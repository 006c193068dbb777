package io.statejob.operator.resources;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.statejob.api.model.StateJob;

/**
 * The coordinator's Service, which workers and the operator call, and the workers' headless
 * Service, which gives each worker a stable DNS name and names its exchange port.
 */
public final class ServiceBuilders {
  private ServiceBuilders() {}

  public static Service coordinator(StateJob job) {
    return service(job, ResourceNames.coordinator(job), Labels.COORDINATOR, false);
  }

  public static Service workers(StateJob job) {
    return service(job, ResourceNames.workers(job), Labels.WORKER, true);
  }

  private static Service service(StateJob job, String name, String component, boolean headless) {
    ServiceBuilder service =
        new ServiceBuilder()
            .withMetadata(OwnedMetadata.of(job, name, component))
            .withNewSpec()
            .withClusterIP(headless ? "None" : null)
            .withSelector(Labels.selector(job, component))
            .addNewPort()
            .withName("http")
            .withPort(PodSpecs.HTTP_PORT)
            .withNewTargetPort("http")
            .endPort()
            .endSpec();
    if (headless) {
      service
          .editSpec()
          .addNewPort()
          .withName("exchange")
          .withPort(PodSpecs.EXCHANGE_PORT)
          .withNewTargetPort("exchange")
          .endPort()
          .endSpec();
    }
    return service.build();
  }
}
