package io.statejob.operator.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Set;

/**
 * The job's pod templates over the operator's, as whole trees, as Flink's operator merges them:
 * objects field by field, lists of named items (containers, volumes, env, ports, mounts) item by
 * item, any other value replaced. Then what the runtime needs is put back: the operator's labels
 * and annotations, its volumes, and of the runtime container its image, command line, ports,
 * probes, environment and mounts. Everything else of the user's wins: resources, security contexts,
 * scheduling, sidecars.
 */
public final class PodTemplateMerge {
  /** Fields of the runtime container only the operator sets. */
  public static final Set<String> PROTECTED_CONTAINER_FIELDS =
      Set.of("image", "command", "args", "ports", "livenessProbe", "readinessProbe");

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private PodTemplateMerge() {}

  /**
   * @param templates the job's templates, shared first, then the role's; null ones are skipped
   */
  public static PodTemplateSpec merge(PodTemplateSpec operator, List<JsonNode> templates) {
    JsonNode base = JSON.convertValue(operator, JsonNode.class);
    JsonNode merged = base.deepCopy();
    for (JsonNode template : templates) {
      if (template != null && !template.isNull()) {
        merged = over(merged, template);
      }
    }
    protect((ObjectNode) merged, base);
    return JSON.convertValue(merged, PodTemplateSpec.class);
  }

  /** {@code top} over {@code under}. */
  private static JsonNode over(JsonNode under, JsonNode top) {
    if (top == null || top.isNull() || top.isMissingNode()) {
      return under;
    }
    if (under == null || under.isNull() || under.isMissingNode()) {
      return top.deepCopy();
    }
    if (under.isObject() && top.isObject()) {
      ObjectNode merged = ((ObjectNode) under).deepCopy();
      top.properties()
          .forEach(
              field ->
                  merged.set(field.getKey(), over(under.get(field.getKey()), field.getValue())));
      return merged;
    }
    if (isNamedList(under) && isNamedList(top)) {
      ArrayNode merged = ((ArrayNode) under).deepCopy();
      for (JsonNode item : top) {
        int at = indexOf(merged, item.get("name").asText());
        if (at < 0) {
          merged.add(item.deepCopy());
        } else {
          merged.set(at, over(merged.get(at), item));
        }
      }
      return merged;
    }
    return top.deepCopy();
  }

  /** Puts back what the runtime needs from the operator's template {@code base}. */
  private static void protect(ObjectNode merged, JsonNode base) {
    ObjectNode metadata = merged.with("metadata");
    for (String map : List.of("labels", "annotations")) {
      base.path("metadata")
          .path(map)
          .properties()
          .forEach(e -> metadata.with(map).set(e.getKey(), e.getValue()));
    }
    ObjectNode spec = merged.with("spec");
    JsonNode baseSpec = base.path("spec");
    putBackNamed(spec, baseSpec, "volumes");
    if (baseSpec.has("restartPolicy")) {
      spec.set("restartPolicy", baseSpec.get("restartPolicy"));
    }
    JsonNode runtime = baseSpec.path("containers").get(0);
    ArrayNode containers = spec.withArray("containers");
    ObjectNode container =
        (ObjectNode) containers.get(indexOf(containers, runtime.get("name").asText()));
    for (String field : PROTECTED_CONTAINER_FIELDS) {
      if (runtime.has(field)) {
        container.set(field, runtime.get(field));
      } else {
        container.remove(field);
      }
    }
    putBackNamed(container, runtime, "env");
    putBackNamed(container, runtime, "volumeMounts");
  }

  /** The items of {@code base}'s named list {@code field}, as they are there, in {@code target}. */
  private static void putBackNamed(ObjectNode target, JsonNode base, String field) {
    ArrayNode list = target.withArray(field);
    for (JsonNode item : base.path(field)) {
      int at = indexOf(list, item.get("name").asText());
      if (at < 0) {
        list.add(item);
      } else {
        list.set(at, item);
      }
    }
  }

  private static boolean isNamedList(JsonNode node) {
    if (!node.isArray() || node.isEmpty()) {
      return node.isArray();
    }
    for (JsonNode item : node) {
      if (!item.isObject() || !item.path("name").isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(ArrayNode list, String name) {
    for (int i = 0; i < list.size(); i++) {
      if (name.equals(list.get(i).path("name").asText(null))) {
        return i;
      }
    }
    return -1;
  }

  /** A typed template as a tree, for {@link #merge}. */
  public static JsonNode tree(PodTemplateSpec template) {
    return template == null ? null : JSON.convertValue(template, JsonNode.class);
  }
}
