package io.statejob.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.statejob.operator.resources.CanonicalJson;
import io.statejob.operator.resources.ConfigHash;
import java.util.HashMap;
import java.util.Map;

/**
 * Creates or updates an owned object only when its desired form changed, which it recognises by a
 * digest of that form kept in an annotation: the API server's defaults never make it look
 * different, and an unchanged job costs no write.
 */
final class ResourceApplier {
  static final String DESIRED_HASH = "statejob.io/desired-hash";
  private static final String FIELD_MANAGER = "statejob-operator";

  private final KubernetesClient client;
  private final boolean serverSideApply;

  ResourceApplier(KubernetesClient client, boolean serverSideApply) {
    this.client = client;
    this.serverSideApply = serverSideApply;
  }

  /** Whether {@code existing} was written from {@code desired} as it is now. */
  static boolean isCurrent(HasMetadata desired, HasMetadata existing) {
    return desiredHash(desired).equals(writtenHash(existing));
  }

  static String desiredHash(HasMetadata desired) {
    return ConfigHash.sha256(CanonicalJson.of(desired));
  }

  private static String writtenHash(HasMetadata existing) {
    Map<String, String> annotations = existing.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(DESIRED_HASH);
  }

  void delete(HasMetadata existing) {
    client.resource(existing).delete();
  }

  /** Returns whether it wrote. */
  boolean apply(HasMetadata desired) {
    String hash = desiredHash(desired);
    HasMetadata existing = client.resource(desired).get();
    if (existing != null && hash.equals(writtenHash(existing))) {
      return false;
    }
    Map<String, String> annotations = new HashMap<>();
    if (desired.getMetadata().getAnnotations() != null) {
      annotations.putAll(desired.getMetadata().getAnnotations());
    }
    annotations.put(DESIRED_HASH, hash);
    desired.getMetadata().setAnnotations(annotations);
    if (serverSideApply) {
      client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    } else if (existing == null) {
      client.resource(desired).create();
    } else {
      // a replace at the version read: a concurrent change fails it (409) and JOSDK retries;
      // the API server keeps what it allocated and the replace leaves unset (a Service's IP)
      desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      client.resource(desired).update();
    }
    return true;
  }
}
