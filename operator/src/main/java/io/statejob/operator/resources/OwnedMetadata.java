package io.statejob.operator.resources;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.statejob.api.model.StateJob;

/** Metadata of an object the job owns: deleting the job deletes it. */
final class OwnedMetadata {
  private OwnedMetadata() {}

  static ObjectMeta of(StateJob job, String name, String component) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(job.getMetadata().getNamespace())
        .withLabels(Labels.of(job, component))
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(StateJob.API_VERSION)
                .withKind("StateJob")
                .withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .build();
  }
}
