package io.statejob.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.statejob.api.model.StateJob;
import io.statejob.operator.observer.JobObserver;
import io.statejob.operator.resources.CanonicalJson;
import io.statejob.operator.resources.ConfigHash;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates or updates an owned object only when its desired form changed, which it recognises by a
 * digest of that form kept in an annotation: the API server's defaults never make it look
 * different, and an unchanged job costs no write. The object as it is comes from the informer's
 * cache, which each write updates at once, so a reconcile of an unchanged job makes no API call.
 *
 * <p>An object changed by hand keeps the digest, so drift is told apart another way: a ConfigMap by
 * its data, other objects by a spec change ({@code metadata.generation}) or, for objects without
 * one, any change ({@code resourceVersion}) since the operator's own last write. An edit made while
 * no operator ran is seen at the next change of the job.
 */
public final class ResourceApplier {
  static final String DESIRED_HASH = "statejob.io/desired-hash";

  /** The field manager of every write of the operator, JOSDK's own (the finalizer) included. */
  public static final String FIELD_MANAGER = "statejob-operator";

  private final KubernetesClient client;
  private final boolean serverSideApply;

  /** Per object (uid), the version the operator last wrote or first saw. */
  private final Map<String, String> ownVersions = new ConcurrentHashMap<>();

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

  /**
   * Writes {@code desired} unless the cached object is current and unchanged by others.
   *
   * @return whether it wrote
   */
  boolean apply(HasMetadata desired, Context<StateJob> context) {
    Optional<? extends HasMetadata> existing =
        JobObserver.cached(context, desired.getClass(), desired.getMetadata().getName());
    String hash = desiredHash(desired);
    if (existing.isPresent()
        && hash.equals(writtenHash(existing.get()))
        && !changedByOthers(desired, existing.get())) {
      return false;
    }
    Map<String, String> annotations = new HashMap<>();
    if (desired.getMetadata().getAnnotations() != null) {
      annotations.putAll(desired.getMetadata().getAnnotations());
    }
    annotations.put(DESIRED_HASH, hash);
    desired.getMetadata().setAnnotations(annotations);
    HasMetadata written;
    if (serverSideApply) {
      written =
          client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    } else if (existing.isEmpty()) {
      written = client.resource(desired).create();
    } else {
      // a replace at the version read: a concurrent change fails it (409) and JOSDK retries;
      // the API server keeps what it allocated and the replace leaves unset (a Service's IP)
      desired.getMetadata().setResourceVersion(existing.get().getMetadata().getResourceVersion());
      written = client.resource(desired).update();
    }
    ownVersions.put(written.getMetadata().getUid(), versionOf(written));
    cacheWrite(context, existing, written);
    return true;
  }

  /**
   * Whether someone else changed {@code existing} since the operator wrote it. The first sight of
   * an object (after a restart of the operator) is taken as the operator's own.
   */
  private boolean changedByOthers(HasMetadata desired, HasMetadata existing) {
    if (existing instanceof ConfigMap configMap) {
      return !Objects.equals(((ConfigMap) desired).getData(), configMap.getData());
    }
    String seen = versionOf(existing);
    String own = ownVersions.putIfAbsent(existing.getMetadata().getUid(), seen);
    return own != null && !own.equals(seen);
  }

  /** A spec change for objects with a generation; any change for the others. */
  private static String versionOf(HasMetadata resource) {
    Long generation = resource.getMetadata().getGeneration();
    return generation != null
        ? "generation " + generation
        : "resourceVersion " + resource.getMetadata().getResourceVersion();
  }

  /** Puts what was written into the informer's cache, so the next reconcile reads no stale copy. */
  @SuppressWarnings("unchecked")
  private static void cacheWrite(
      Context<StateJob> context, Optional<? extends HasMetadata> existing, HasMetadata written) {
    InformerEventSource<HasMetadata, StateJob> source =
        (InformerEventSource<HasMetadata, StateJob>)
            context.eventSourceRetriever().getEventSourceFor(written.getClass());
    ResourceID job = ResourceID.fromResource(context.getPrimaryResource());
    if (existing.isEmpty()) {
      source.handleRecentResourceCreate(job, written);
    } else {
      source.handleRecentResourceUpdate(job, written, existing.get());
    }
  }
}
