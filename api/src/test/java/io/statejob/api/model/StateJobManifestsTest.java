package io.statejob.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StateJobManifestsTest {
  private static final String HEADER =
      "apiVersion: statejob.io/v1alpha1\nkind: StateJob\nmetadata:\n  name: j\n  namespace: team\n";

  @Test
  void readsTheSpecAndQualifiesTheJobIdByNamespace() throws Exception {
    StateJob job =
        StateJobManifests.parse(
            HEADER
                + "spec:\n  job: {className: a.B, args: [--events, '10']}\n"
                + "  stateBackend: {type: rocksdb, incremental: true}\n");
    assertThat(job.getSpec().stateBackend.type).isEqualTo(StateBackendType.ROCKSDB);
    assertThat(job.getSpec().job.args).containsExactly("--events", "10");
    assertThat(job.checkpointJobId()).isEqualTo("team/j");
  }

  @Test
  void anUnknownEnumValueNamesTheFieldAndTheAllowedValues() {
    assertThatThrownBy(
            () -> StateJobManifests.parse(HEADER + "spec:\n  stateBackend: {type: rockdb}\n"))
        .hasMessage(
            "spec.stateBackend.type: unknown value 'rockdb'; expected one of memory, filesystem,"
                + " rocksdb, custom");
  }

  @Test
  void anUnknownFieldAndAWrongTypeAreNamed() {
    assertThatThrownBy(() -> StateJobManifests.parse(HEADER + "spec:\n  paralelism: 2\n"))
        .hasMessage("spec.paralelism: unknown field");
    assertThatThrownBy(() -> StateJobManifests.parse(HEADER + "spec:\n  parallelism: two\n"))
        .hasMessage("spec.parallelism: 'two' is not a valid Integer");
  }
}
