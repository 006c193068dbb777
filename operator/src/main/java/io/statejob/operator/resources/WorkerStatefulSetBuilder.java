package io.statejob.operator.resources;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.api.model.LocalStorageSpec;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobSpec;
import io.statejob.operator.config.OperatorConfig;
import java.util.List;
import java.util.Map;

/**
 * The StatefulSet {@code <job>-worker}: one pod per unit of parallelism; the ordinal is the subtask
 * index. RocksDB gets a volume claim per worker when {@code localStorage} is set, else an emptyDir;
 * heap backends need no volume.
 */
public final class WorkerStatefulSetBuilder {
  private WorkerStatefulSetBuilder() {}

  /**
   * @param runtime the job's runtime config: its parallelism is the spec's, else the operator's
   *     default {@code parallelism.default}
   */
  public static StatefulSet build(
      StateJob job, OperatorConfig operator, String configHash, RuntimeConfig runtime) {
    boolean rocksdb = RuntimeConfigMapBuilder.usesRocksDb(runtime);
    StateJobSpec spec = job.getSpec();
    LocalStorageSpec localStorage =
        spec.stateBackend == null ? null : spec.stateBackend.localStorage;
    boolean claim = rocksdb && localStorage != null;
    int parallelism = runtime.get(RuntimeOptions.PARALLELISM);
    return new StatefulSetBuilder()
        .withMetadata(OwnedMetadata.of(job, ResourceNames.workers(job), Labels.WORKER))
        .withNewSpec()
        .withReplicas(Boolean.TRUE.equals(spec.suspend) ? 0 : parallelism)
        .withServiceName(ResourceNames.workers(job))
        // workers restore together from one checkpoint: no need to start them one by one
        .withPodManagementPolicy("Parallel")
        .withNewSelector()
        .withMatchLabels(Labels.selector(job, Labels.WORKER))
        .endSelector()
        .withTemplate(
            PodSpecs.template(
                job,
                operator,
                Labels.WORKER,
                configHash,
                spec.resources == null ? null : spec.resources.worker,
                rocksdb,
                claim))
        .withVolumeClaimTemplates(claim ? List.of(claim(localStorage)) : List.of())
        .withPersistentVolumeClaimRetentionPolicy(claim ? retention(localStorage) : null)
        .endSpec()
        .build();
  }

  /** Volumes go with the job and with a scale-down unless kept: they hold a working copy only. */
  private static StatefulSetPersistentVolumeClaimRetentionPolicy retention(
      LocalStorageSpec localStorage) {
    StatefulSetPersistentVolumeClaimRetentionPolicy policy =
        new StatefulSetPersistentVolumeClaimRetentionPolicy();
    policy.setWhenDeleted(orDelete(localStorage.whenDeleted));
    policy.setWhenScaled(orDelete(localStorage.whenScaled));
    return policy;
  }

  private static String orDelete(LocalStorageSpec.ClaimRetention retention) {
    return String.valueOf(retention == null ? LocalStorageSpec.ClaimRetention.Delete : retention);
  }

  private static PersistentVolumeClaim claim(LocalStorageSpec localStorage) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(PodSpecs.LOCAL_STATE_VOLUME)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(localStorage.storageClassName)
        .withNewResources()
        .withRequests(
            Map.of("storage", new Quantity(localStorage.size == null ? "10Gi" : localStorage.size)))
        .endResources()
        .endSpec()
        .build();
  }
}
