package io.statejob.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long a running job may go without a completed checkpoint before it is restarted. */
class CheckpointProgressTest {
  @Test
  void byDefaultTenIntervalsButNeverLessThanASlowHealthyCheckpointTakes() {
    Duration timeout = Duration.ofMinutes(10);
    assertThat(CheckpointProgress.maxAge(null, Duration.ofMinutes(2), timeout))
        .isEqualTo(Duration.ofMinutes(20));
    assertThat(CheckpointProgress.maxAge(null, Duration.ofMillis(300), timeout))
        .as("a checkpoint may take up to its timeout")
        .isEqualTo(Duration.ofMinutes(10).plusMillis(300));
    assertThat(CheckpointProgress.maxAge("2s", Duration.ofMillis(300), timeout))
        .isEqualTo(Duration.ofSeconds(2));
  }
}
