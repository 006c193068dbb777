package io.statejob.operator.resources;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.model.StateJob;
import io.statejob.operator.config.OperatorConfig;
import java.util.List;

/** Everything a job owns, as a pure function of the job and the operator's config. */
public record DesiredResources(
    ConfigMap config,
    Service coordinatorService,
    Service workerService,
    StatefulSet coordinator,
    StatefulSet workers) {

  /** The pod templates' annotation with {@code spec.restartNonce}. */
  public static final String RESTART_NONCE = "statejob.io/restart-nonce";

  /** The restart nonce the pods of {@code deployed} were started with. */
  public static Long restartNonceOf(StatefulSet deployed) {
    String nonce =
        deployed.getSpec().getTemplate().getMetadata().getAnnotations().get(RESTART_NONCE);
    return nonce == null ? null : Long.valueOf(nonce);
  }

  public static DesiredResources of(StateJob job, OperatorConfig operator) {
    RuntimeConfig runtimeConfig = RuntimeConfigMapBuilder.runtimeConfig(job, operator);
    ConfigMap config = RuntimeConfigMapBuilder.build(job, runtimeConfig);
    String hash = ConfigHash.of(config);
    boolean rocksdb = RuntimeConfigMapBuilder.usesRocksDb(runtimeConfig);
    return new DesiredResources(
        config,
        ServiceBuilders.coordinator(job),
        ServiceBuilders.workers(job),
        CoordinatorStatefulSetBuilder.build(job, operator, hash),
        WorkerStatefulSetBuilder.build(job, operator, hash, rocksdb));
  }

  /** In the order they are applied: config and services before the pods that use them. */
  public List<HasMetadata> inApplyOrder() {
    return List.of(config, coordinatorService, workerService, coordinator, workers);
  }
}
