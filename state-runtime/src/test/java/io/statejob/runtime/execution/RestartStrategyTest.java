package io.statejob.runtime.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.api.config.RuntimeConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartStrategyTest {
  private static final Duration SHORT = Duration.ofSeconds(5);

  private static RestartStrategy strategy(String... keysAndValues) {
    Map<String, String> settings = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      settings.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return RestartStrategy.from(RuntimeConfig.of(settings));
  }

  @Test
  void byDefaultPausesGrowByHalfUpToAMinuteWithoutEverGivingUp() {
    RestartStrategy restarts = strategy("restart-strategy.exponential-delay.jitter-factor", "0");
    assertThat(restarts.nextDelay(SHORT)).contains(Duration.ofSeconds(1));
    assertThat(restarts.nextDelay(SHORT)).contains(Duration.ofMillis(1500));
    assertThat(restarts.nextDelay(SHORT)).contains(Duration.ofMillis(2250));
    Optional<Duration> delay = Optional.empty();
    for (int i = 0; i < 1_000; i++) {
      delay = restarts.nextDelay(SHORT);
    }
    assertThat(delay).contains(Duration.ofMinutes(1));
    assertThat(restarts.maxDelay()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void anAttemptThatRanLongEnoughStartsThePausesOver() {
    RestartStrategy restarts =
        strategy(
            "restart-strategy.exponential-delay.jitter-factor", "0",
            "restart-strategy.exponential-delay.reset-backoff-threshold", "10m");
    restarts.nextDelay(SHORT);
    restarts.nextDelay(SHORT);
    assertThat(restarts.nextDelay(SHORT)).contains(Duration.ofMillis(2250));
    assertThat(restarts.nextDelay(Duration.ofMinutes(10))).contains(Duration.ofSeconds(1));
  }

  @Test
  void theJobFailsAfterTheAttemptsAllowedBeforeAReset() {
    RestartStrategy restarts =
        strategy("restart-strategy.exponential-delay.attempts-before-reset-backoff", "2");
    assertThat(restarts.nextDelay(SHORT)).isPresent();
    assertThat(restarts.nextDelay(SHORT)).isPresent();
    assertThat(restarts.nextDelay(SHORT)).isEmpty();
  }

  @Test
  void jitterSpreadsEachPauseWithinItsFraction() {
    RestartStrategy restarts =
        strategy(
            "restart-strategy.exponential-delay.jitter-factor", "0.5",
            "restart-strategy.exponential-delay.initial-backoff", "1s",
            "restart-strategy.exponential-delay.backoff-multiplier", "1");
    for (int i = 0; i < 100; i++) {
      assertThat(restarts.nextDelay(SHORT).orElseThrow())
          .isBetween(Duration.ofMillis(500), Duration.ofMillis(1500));
    }
  }

  @Test
  void aFixedDelayKeyMeansFixedDelay() {
    RestartStrategy restarts = strategy("restart-strategy.fixed-delay.attempts", "2");
    assertThat(restarts.nextDelay(SHORT)).contains(Duration.ofSeconds(1));
    assertThat(restarts.nextDelay(Duration.ofHours(2))).contains(Duration.ofSeconds(1));
    assertThat(restarts.nextDelay(SHORT)).isEmpty();
  }

  @Test
  void theTypeWinsOverTheKeysSetAndNoneFailsAtOnce() {
    assertThat(
            strategy(
                    "restart-strategy.type", "exponential-delay",
                    "restart-strategy.fixed-delay.attempts", "0")
                .nextDelay(SHORT))
        .isPresent();
    assertThat(strategy("restart-strategy.type", "none").nextDelay(SHORT)).isEmpty();
  }
}
