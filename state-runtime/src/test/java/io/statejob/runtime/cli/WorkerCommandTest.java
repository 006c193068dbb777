package io.statejob.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkerCommandTest {
  @Test
  void theSubtaskIsTheStatefulSetOrdinalAtTheEndOfThePodName() {
    assertThat(WorkerCommand.ordinalOf("orders-2024-worker-0")).isZero();
    assertThat(WorkerCommand.ordinalOf("orders-worker-17")).isEqualTo(17);
  }

  @Test
  void aPodNameWithoutOrdinalIsAClearError() {
    assertThatThrownBy(() -> WorkerCommand.ordinalOf("orders-coordinator-abc"))
        .hasMessageContaining("--subtask")
        .hasMessageContaining("orders-coordinator-abc");
    assertThatThrownBy(() -> WorkerCommand.ordinalOf(null)).hasMessageContaining("POD_NAME");
  }
}
