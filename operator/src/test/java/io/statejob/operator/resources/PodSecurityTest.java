package io.statejob.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.statejob.api.model.StateJob;
import io.statejob.operator.StateJobs;
import io.statejob.operator.config.OperatorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every pod the operator makes meets the Kubernetes {@code restricted} Pod Security Standard, so a
 * namespace labelled {@code pod-security.kubernetes.io/enforce: restricted} admits it. Each rule of
 * the standard (baseline's included) is checked on the coordinator, the workers with a volume per
 * worker, and the cleanup pod.
 */
class PodSecurityTest {
  private static final OperatorConfig OPERATOR = OperatorConfig.defaults();
  private static final Set<String> RESTRICTED_VOLUME_TYPES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");

  @Test
  void everyPodOfAJobMeetsTheRestrictedProfile() {
    StateJob job = StateJobs.rocksdb("secure");
    DesiredResources desired = DesiredResources.of(job, OPERATOR, "token");
    Map<String, PodSpec> pods =
        Map.of(
            "coordinator", desired.coordinator().getSpec().getTemplate().getSpec(),
            "worker", desired.workers().getSpec().getTemplate().getSpec(),
            "cleanup",
                CleanupJobBuilder.build(job, OPERATOR, "file:///c/secure")
                    .getSpec()
                    .getTemplate()
                    .getSpec());
    pods.forEach((role, pod) -> assertThat(violations(pod)).as(role + " pod violations").isEmpty());
  }

  @Test
  void theCheckFindsWhatTheProfileForbids() {
    PodSpec pod =
        DesiredResources.of(StateJobs.memory("loose"), OPERATOR, "token")
            .coordinator()
            .getSpec()
            .getTemplate()
            .getSpec();
    pod.setHostNetwork(true);
    pod.getSecurityContext().setSeccompProfile(null);
    pod.getContainers().get(0).getSecurityContext().setAllowPrivilegeEscalation(null);
    pod.getVolumes().add(new Volume());
    pod.getVolumes().get(pod.getVolumes().size() - 1).setName("host");
    pod.getVolumes()
        .get(pod.getVolumes().size() - 1)
        .setHostPath(new io.fabric8.kubernetes.api.model.HostPathVolumeSource("/", null));
    assertThat(violations(pod))
        .containsExactlyInAnyOrder(
            "hostNetwork",
            "volume host: hostPath",
            "statejob: allowPrivilegeEscalation is not false",
            "statejob: no RuntimeDefault or Localhost seccomp profile");
  }

  /** The rules of the restricted standard the pod breaks, one line each. */
  private static List<String> violations(PodSpec pod) {
    List<String> found = new ArrayList<>();
    for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
      Boolean on =
          switch (host) {
            case "hostNetwork" -> pod.getHostNetwork();
            case "hostPID" -> pod.getHostPID();
            default -> pod.getHostIPC();
          };
      if (Boolean.TRUE.equals(on)) {
        found.add(host);
      }
    }
    for (Volume volume : pod.getVolumes()) {
      Map<String, Object> fields =
          io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()
              .convertValue(volume, Map.class);
      fields.keySet().stream()
          .filter(key -> !key.equals("name") && !RESTRICTED_VOLUME_TYPES.contains(key))
          .forEach(key -> found.add("volume " + volume.getName() + ": " + key));
    }
    var podContext = pod.getSecurityContext();
    boolean podNonRoot = podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
    boolean podSeccomp = podContext != null && allowedSeccomp(podContext.getSeccompProfile());
    if (podContext != null && Long.valueOf(0).equals(podContext.getRunAsUser())) {
      found.add("pod runAsUser 0");
    }
    List<Container> containers = new ArrayList<>(pod.getContainers());
    if (pod.getInitContainers() != null) {
      containers.addAll(pod.getInitContainers());
    }
    for (Container container : containers) {
      String name = container.getName();
      SecurityContext context = container.getSecurityContext();
      if (context == null) {
        found.add(name + ": no securityContext");
        continue;
      }
      if (Boolean.TRUE.equals(context.getPrivileged())) {
        found.add(name + ": privileged");
      }
      if (!Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
        found.add(name + ": allowPrivilegeEscalation is not false");
      }
      if (!podNonRoot && !Boolean.TRUE.equals(context.getRunAsNonRoot())) {
        found.add(name + ": runAsNonRoot is not true");
      }
      if (Long.valueOf(0).equals(context.getRunAsUser())) {
        found.add(name + ": runAsUser 0");
      }
      if (!podSeccomp && !allowedSeccomp(context.getSeccompProfile())) {
        found.add(name + ": no RuntimeDefault or Localhost seccomp profile");
      }
      var capabilities = context.getCapabilities();
      if (capabilities == null
          || capabilities.getDrop() == null
          || !capabilities.getDrop().contains("ALL")) {
        found.add(name + ": capabilities do not drop ALL");
      }
      if (capabilities != null
          && capabilities.getAdd() != null
          && !Set.of("NET_BIND_SERVICE").containsAll(capabilities.getAdd())) {
        found.add(name + ": adds capabilities " + capabilities.getAdd());
      }
      if (container.getPorts() != null
          && container.getPorts().stream()
              .anyMatch(p -> p.getHostPort() != null && p.getHostPort() != 0)) {
        found.add(name + ": hostPort");
      }
    }
    return found;
  }

  private static boolean allowedSeccomp(io.fabric8.kubernetes.api.model.SeccompProfile profile) {
    return profile != null && Set.of("RuntimeDefault", "Localhost").contains(profile.getType());
  }
}
