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

  @Test
  void aKeyGivenTwiceIsAnErrorNotTheLastOneWinning() {
    assertThatThrownBy(
            () ->
                StateJobManifests.parse(
                    HEADER
                        + "spec:\n  job: {className: a.B}\n  parallelism: 2\n  parallelism: 3\n"))
        .hasMessageStartingWith("not valid YAML: Duplicate field 'parallelism'")
        .hasMessageEndingWith("(line 9)");
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "kind: StateJob\\nmetadata: {name: j}\\n | apiVersion: required, 'statejob.io/v1alpha1'",
        "apiVersion: statejob.io/v1\\nkind: StateJob\\n | apiVersion: 'statejob.io/v1' is not"
            + " 'statejob.io/v1alpha1'",
        "apiVersion: statejob.io/v1alpha1\\nmetadata: {name: j}\\n | kind: required, 'StateJob'",
        "apiVersion: statejob.io/v1alpha1\\nkind: FlinkDeployment\\n | kind: 'FlinkDeployment' is"
            + " not 'StateJob'",
        "- a\\n- b\\n | not a StateJob: the document is not a mapping",
      })
  void aDocumentThatIsNoStateJobIsRefused(String yaml, String message) {
    assertThatThrownBy(() -> StateJobManifests.parse(yaml.replace("\\n", "\n")))
        .hasMessage(message.trim());
  }

  @Test
  void anAliasBombIsRefusedWithoutBeingExpanded() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char previous = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [");
      bomb.append(("*" + previous + ", ").repeat(9)).append('*').append(previous).append("]\n");
    }
    // a billion x's if aliases were expanded; the reader refuses the unknown field instead
    assertThatThrownBy(() -> StateJobManifests.parse(HEADER + bomb)).hasMessage("a: unknown field");
  }
}
