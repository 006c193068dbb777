package io.statejob.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.statejob.api.model.StateJob;
import io.statejob.api.validation.ValidationResult;
import io.statejob.operator.resources.PodTemplateMerge;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a job's pod templates ({@code podTemplate}, {@code coordinator.podTemplate}, {@code
 * worker.podTemplate}) may ask for. Whatever breaks the pods' isolation (privileged containers,
 * host namespaces, hostPath volumes, root users, added capabilities) is refused unless the
 * operator's config allows it. A field of the runtime container only the operator sets (its image,
 * command line, ports, probes) is kept as the operator has it, with a warning.
 */
final class PodTemplatePolicy {
  private static final String MAIN_CONTAINER = "statejob";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private PodTemplatePolicy() {}

  static ValidationResult check(
      StateJob job, boolean privilegedAllowed, ValidationResult validation) {
    if (!validation.isValid()) {
      return validation;
    }
    Map<String, JsonNode> templates = new LinkedHashMap<>();
    templates.put("spec.podTemplate", PodTemplateMerge.tree(job.getSpec().podTemplate));
    if (job.getSpec().coordinator != null) {
      templates.put("spec.coordinator.podTemplate", job.getSpec().coordinator.podTemplate);
    }
    if (job.getSpec().worker != null) {
      templates.put("spec.worker.podTemplate", job.getSpec().worker.podTemplate);
    }
    Map<String, String> problems = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>(validation.warnings());
    templates.forEach(
        (field, tree) -> {
          if (tree == null || tree.isNull()) {
            return;
          }
          PodTemplateSpec template;
          try {
            template = JSON.convertValue(tree, PodTemplateSpec.class);
          } catch (IllegalArgumentException e) {
            problems.put(field, field + ": not a pod template: " + e.getMessage());
            return;
          }
          if (!privilegedAllowed && template.getSpec() != null) {
            unsafe(field, template.getSpec(), problems);
          }
          for (JsonNode container : tree.path("spec").path("containers")) {
            if (MAIN_CONTAINER.equals(container.path("name").asText())) {
              PodTemplateMerge.PROTECTED_CONTAINER_FIELDS.stream()
                  .filter(container::has)
                  .sorted()
                  .forEach(
                      f ->
                          warnings.add(
                              field
                                  + ".spec.containers["
                                  + MAIN_CONTAINER
                                  + "]."
                                  + f
                                  + ": the operator's own (set spec.image, spec.job or"
                                  + " spec.config instead); ignored"));
            }
          }
        });
    return new ValidationResult(
        problems.isEmpty() ? validation.errors() : List.copyOf(problems.values()), warnings);
  }

  private static void unsafe(String field, PodSpec spec, Map<String, String> problems) {
    refuseIf(field, Boolean.TRUE.equals(spec.getHostNetwork()), "spec.hostNetwork", problems);
    refuseIf(field, Boolean.TRUE.equals(spec.getHostPID()), "spec.hostPID", problems);
    refuseIf(field, Boolean.TRUE.equals(spec.getHostIPC()), "spec.hostIPC", problems);
    for (Volume volume : orEmpty(spec.getVolumes())) {
      refuseIf(
          field,
          volume.getHostPath() != null,
          "spec.volumes[" + volume.getName() + "].hostPath",
          problems);
    }
    PodSecurityContext pod = spec.getSecurityContext();
    if (pod != null) {
      refuseIf(field, isRoot(pod.getRunAsUser()), "spec.securityContext.runAsUser", problems);
      refuseIf(
          field,
          Boolean.FALSE.equals(pod.getRunAsNonRoot()),
          "spec.securityContext.runAsNonRoot",
          problems);
      refuseIf(
          field,
          unconfined(pod.getSeccompProfile()),
          "spec.securityContext.seccompProfile",
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
      refuseIf(field, Boolean.TRUE.equals(security.getPrivileged()), at + "privileged", problems);
      refuseIf(
          field,
          Boolean.TRUE.equals(security.getAllowPrivilegeEscalation()),
          at + "allowPrivilegeEscalation",
          problems);
      refuseIf(field, isRoot(security.getRunAsUser()), at + "runAsUser", problems);
      refuseIf(
          field, Boolean.FALSE.equals(security.getRunAsNonRoot()), at + "runAsNonRoot", problems);
      refuseIf(field, unconfined(security.getSeccompProfile()), at + "seccompProfile", problems);
      Capabilities capabilities = security.getCapabilities();
      refuseIf(
          field,
          capabilities != null
              && !orEmpty(capabilities.getDrop()).isEmpty()
              && !capabilities.getDrop().contains("ALL"),
          at + "capabilities.drop",
          problems);
      refuseIf(
          field,
          capabilities != null
              && orEmpty(capabilities.getAdd()).stream()
                  .anyMatch(c -> !c.equals("NET_BIND_SERVICE")),
          at + "capabilities.add",
          problems);
    }
  }

  private static boolean unconfined(SeccompProfile profile) {
    return profile != null && "Unconfined".equals(profile.getType());
  }

  private static boolean isRoot(Long user) {
    return user != null && user == 0;
  }

  private static void refuseIf(
      String field, boolean unsafe, String path, Map<String, String> problems) {
    if (unsafe) {
      problems.putIfAbsent(
          field + "." + path,
          field
              + "."
              + path
              + ": breaks the pods' isolation; the operator allows it only when its config sets"
              + " allowPrivilegedPods: true");
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
