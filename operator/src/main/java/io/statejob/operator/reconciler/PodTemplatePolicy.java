package io.statejob.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.statejob.api.model.StateJob;
import io.statejob.api.validation.ValidationResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a job's {@code podTemplate} may ask for. Whatever breaks the pods' isolation (privileged
 * containers, host namespaces, hostPath volumes, root users, added capabilities) is refused unless
 * the operator's config allows it; a field the operator does not apply is refused too, rather than
 * dropped without a word.
 */
final class PodTemplatePolicy {
  private static final String FIELD = "spec.podTemplate";
  private static final String MAIN_CONTAINER = "statejob";
  private static final Set<String> APPLIED_METADATA = Set.of("labels", "annotations");
  private static final Set<String> APPLIED_SPEC =
      Set.of(
          "containers",
          "volumes",
          "initContainers",
          "serviceAccountName",
          "nodeSelector",
          "tolerations",
          "affinity",
          "imagePullSecrets",
          "priorityClassName",
          "securityContext");
  private static final Set<String> APPLIED_MAIN_CONTAINER =
      Set.of("name", "env", "envFrom", "volumeMounts", "imagePullPolicy");
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private PodTemplatePolicy() {}

  static ValidationResult check(
      StateJob job, boolean privilegedAllowed, ValidationResult validation) {
    PodTemplateSpec template = job.getSpec().podTemplate;
    if (template == null || !validation.isValid()) {
      return validation;
    }
    Map<String, String> problems = new LinkedHashMap<>();
    if (!privilegedAllowed && template.getSpec() != null) {
      unsafe(template.getSpec(), problems);
    }
    notApplied(JSON.convertValue(template, JsonNode.class), problems);
    return problems.isEmpty()
        ? validation
        : new ValidationResult(List.copyOf(problems.values()), validation.warnings());
  }

  private static void unsafe(PodSpec spec, Map<String, String> problems) {
    refuseIf(Boolean.TRUE.equals(spec.getHostNetwork()), "spec.hostNetwork", problems);
    refuseIf(Boolean.TRUE.equals(spec.getHostPID()), "spec.hostPID", problems);
    refuseIf(Boolean.TRUE.equals(spec.getHostIPC()), "spec.hostIPC", problems);
    for (Volume volume : orEmpty(spec.getVolumes())) {
      refuseIf(
          volume.getHostPath() != null,
          "spec.volumes[" + volume.getName() + "].hostPath",
          problems);
    }
    PodSecurityContext pod = spec.getSecurityContext();
    if (pod != null) {
      refuseIf(isRoot(pod.getRunAsUser()), "spec.securityContext.runAsUser", problems);
      refuseIf(
          Boolean.FALSE.equals(pod.getRunAsNonRoot()),
          "spec.securityContext.runAsNonRoot",
          problems);
    }
    List<Container> containers = new ArrayList<>(orEmpty(spec.getContainers()));
    containers.addAll(orEmpty(spec.getInitContainers()));
    for (Container container : containers) {
      SecurityContext security = container.getSecurityContext();
      if (security == null) {
        continue;
      }
      String at =
          (spec.getInitContainers() != null && spec.getInitContainers().contains(container)
                  ? "spec.initContainers["
                  : "spec.containers[")
              + container.getName()
              + "].securityContext.";
      refuseIf(Boolean.TRUE.equals(security.getPrivileged()), at + "privileged", problems);
      refuseIf(
          Boolean.TRUE.equals(security.getAllowPrivilegeEscalation()),
          at + "allowPrivilegeEscalation",
          problems);
      refuseIf(isRoot(security.getRunAsUser()), at + "runAsUser", problems);
      refuseIf(Boolean.FALSE.equals(security.getRunAsNonRoot()), at + "runAsNonRoot", problems);
      Capabilities capabilities = security.getCapabilities();
      refuseIf(
          capabilities != null
              && orEmpty(capabilities.getAdd()).stream()
                  .anyMatch(c -> !c.equals("NET_BIND_SERVICE")),
          at + "capabilities.add",
          problems);
    }
  }

  private static boolean isRoot(Long user) {
    return user != null && user == 0;
  }

  private static void refuseIf(boolean unsafe, String path, Map<String, String> problems) {
    if (unsafe) {
      problems.putIfAbsent(
          path,
          FIELD
              + "."
              + path
              + ": breaks the pods' isolation; the operator allows it only when its config sets"
              + " allowPrivilegedPods: true");
    }
  }

  /** Fields the merge into the operator's pod template would not carry over. */
  private static void notApplied(JsonNode template, Map<String, String> problems) {
    for (String field : fieldNames(template)) {
      if (!field.equals("metadata") && !field.equals("spec")) {
        ignored(field, problems);
      }
    }
    for (String field : fieldNames(template.path("metadata"))) {
      if (!APPLIED_METADATA.contains(field)) {
        ignored("metadata." + field, problems);
      }
    }
    JsonNode spec = template.path("spec");
    for (String field : fieldNames(spec)) {
      if (!APPLIED_SPEC.contains(field)) {
        ignored("spec." + field, problems);
      }
    }
    for (JsonNode container : spec.path("containers")) {
      if (MAIN_CONTAINER.equals(container.path("name").asText())) {
        for (String field : fieldNames(container)) {
          if (!APPLIED_MAIN_CONTAINER.contains(field)) {
            ignored("spec.containers[" + MAIN_CONTAINER + "]." + field, problems);
          }
        }
      }
    }
  }

  private static void ignored(String path, Map<String, String> problems) {
    problems.putIfAbsent(
        path,
        FIELD
            + "."
            + path
            + ": not applied by this operator version; remove it (of the "
            + MAIN_CONTAINER
            + " container it applies "
            + String.join(", ", APPLIED_MAIN_CONTAINER.stream().sorted().toList())
            + "; of the pod spec "
            + String.join(", ", APPLIED_SPEC.stream().sorted().toList())
            + ")");
  }

  /** The fields of an object that hold something: an empty list or map asks for nothing. */
  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      if (!value.isNull() && !(value.isContainerNode() && value.isEmpty())) {
        names.add(field.getKey());
      }
    }
    return names;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
