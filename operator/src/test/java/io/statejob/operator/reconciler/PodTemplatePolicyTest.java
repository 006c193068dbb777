package io.statejob.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.api.model.StateJob;
import io.statejob.api.validation.ValidationResult;
import io.statejob.operator.StateJobs;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Pod templates that break isolation are refused by name; the runtime's own fields are kept. */
class PodTemplatePolicyTest {
  private static final ValidationResult VALID = new ValidationResult(List.of(), List.of());

  private static ValidationResult check(String podTemplate, boolean privilegedAllowed) {
    StateJob job = StateJobs.of("pods", "podTemplate:\n" + podTemplate.indent(2));
    return PodTemplatePolicy.check(job, privilegedAllowed, VALID);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "spec: {hostNetwork: true}|spec.hostNetwork",
        "spec: {hostPID: true}|spec.hostPID",
        "spec: {hostIPC: true}|spec.hostIPC",
        "spec: {volumes: [{name: root, hostPath: {path: /}}]}|spec.volumes[root].hostPath",
        "spec: {securityContext: {runAsUser: 0}}|spec.securityContext.runAsUser",
        "spec: {securityContext: {runAsNonRoot: false}}|spec.securityContext.runAsNonRoot",
        "spec: {containers: [{name: side, image: x, securityContext: {privileged: true}}]}"
            + "|spec.containers[side].securityContext.privileged",
        "spec: {containers: [{name: side, image: x, securityContext: {runAsUser: 0}}]}"
            + "|spec.containers[side].securityContext.runAsUser",
        "spec: {containers: [{name: side, image: x, securityContext: {runAsNonRoot: false}}]}"
            + "|spec.containers[side].securityContext.runAsNonRoot",
        "spec: {containers: [{name: side, image: x,"
            + " securityContext: {allowPrivilegeEscalation: true}}]}"
            + "|spec.containers[side].securityContext.allowPrivilegeEscalation",
        "spec: {containers: [{name: side, image: x,"
            + " securityContext: {capabilities: {add: [SYS_ADMIN]}}}]}"
            + "|spec.containers[side].securityContext.capabilities.add",
        "spec: {initContainers: [{name: init, image: x, securityContext: {privileged: true}}]}"
            + "|spec.initContainers[init].securityContext.privileged",
      })
  void isolationIsKeptUnlessTheOperatorAllowsOtherwise(String template, String field) {
    assertThat(check(template, false).errors())
        .singleElement()
        .asString()
        .startsWith("spec.podTemplate." + field + ": breaks the pods' isolation")
        .contains("allowPrivilegedPods: true");
    assertThat(check(template, true).errors())
        .noneMatch(e -> e.contains("breaks the pods' isolation"));
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "spec: {securityContext: {seccompProfile: {type: Unconfined}}}"
            + "|spec.securityContext.seccompProfile",
        "spec: {containers: [{name: statejob, securityContext: {capabilities: {drop: [NET_RAW]}}}]}"
            + "|spec.containers[statejob].securityContext.capabilities.drop",
        "spec: {containers: [{name: statejob,"
            + " securityContext: {seccompProfile: {type: Unconfined}}}]}"
            + "|spec.containers[statejob].securityContext.seccompProfile",
      })
  void whatTheWholeTreeMergeLetsThroughIsCheckedToo(String template, String field) {
    assertThat(check(template, false).errors())
        .singleElement()
        .asString()
        .startsWith("spec.podTemplate." + field + ": breaks the pods' isolation");
  }

  @Test
  void aRoleTemplateIsCheckedUnderItsOwnName() {
    StateJob job = StateJobs.of("pods", "worker:\n  podTemplate:\n    spec: {hostNetwork: true}");
    assertThat(PodTemplatePolicy.check(job, false, VALID).errors())
        .singleElement()
        .asString()
        .startsWith("spec.worker.podTemplate.spec.hostNetwork: breaks the pods' isolation");
  }

  @Test
  void theRuntimeContainersOwnFieldsAreKeptWithAWarning() {
    ValidationResult result =
        check("spec: {containers: [{name: statejob, image: mine, args: [x]}]}", false);
    assertThat(result.errors()).isEmpty();
    assertThat(result.warnings())
        .containsExactly(
            "spec.podTemplate.spec.containers[statejob].args: the operator's own (set spec.image,"
                + " spec.job or spec.config instead); ignored",
            "spec.podTemplate.spec.containers[statejob].image: the operator's own (set spec.image,"
                + " spec.job or spec.config instead); ignored");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        """
        metadata: {labels: {team: a}, annotations: {note: b}}
        spec: {dnsPolicy: None, priorityClassName: batch}
        """,
        """
        spec:
          containers:
          - name: statejob
            resources: {limits: {cpu: '2'}}
            securityContext: {runAsUser: 2000}
        """,
        """
        metadata: {labels: {team: a}, annotations: {note: b}}
        spec:
          serviceAccountName: jobs
          nodeSelector: {disk: ssd}
          tolerations: [{key: dedicated, operator: Exists}]
          securityContext: {runAsUser: 2000, fsGroup: 2000}
          volumes: [{name: certs, secret: {secretName: certs}}]
          containers:
          - name: statejob
            env: [{name: TZ, value: UTC}]
            volumeMounts: [{name: certs, mountPath: /certs}]
          - name: side
            image: busybox
            securityContext: {capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}}
        """,
      })
  void aTemplateThatKeepsIsolationAndIsAppliedPasses(String template) {
    assertThat(check(template, false).errors()).isEmpty();
  }
}
