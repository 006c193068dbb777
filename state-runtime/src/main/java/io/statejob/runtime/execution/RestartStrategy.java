package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a failed job restarts, as Flink's restart strategies with Flink's keys and defaults: {@code
 * exponential-delay} by default (1 s, growing by 1.5 to at most 1 min, starting over after an
 * attempt that ran an hour), {@code fixed-delay} (10 attempts, 1 s apart), or {@code none}. When
 * {@code restart-strategy.type} is not set but a {@code restart-strategy.fixed-delay.*} key is,
 * fixed-delay is what was meant.
 */
public abstract class RestartStrategy {
  /**
   * The pause before restarting after an attempt that failed having run {@code ranFor}, or empty
   * when the job must fail instead.
   */
  public abstract Optional<Duration> nextDelay(Duration ranFor);

  /** The longest pause this strategy makes: how long a restart may leave work waiting. */
  public abstract Duration maxDelay();

  /** What the strategy allowed, for the message of a job that failed. */
  abstract String exhausted();

  public static RestartStrategy from(RuntimeConfig config) {
    String type =
        config
            .getOptional(RuntimeOptions.RESTART_STRATEGY)
            .map(name -> name.toLowerCase(Locale.ROOT).replace("-", ""))
            .orElse(
                config.withPrefix("restart-strategy.fixed-delay.").isEmpty()
                    ? "exponentialdelay"
                    : "fixeddelay");
    switch (type) {
      case "fixeddelay":
        return new FixedDelay(
            config.get(RuntimeOptions.RESTART_ATTEMPTS), config.get(RuntimeOptions.RESTART_DELAY));
      case "none":
      case "off":
      case "disable":
        return new FixedDelay(0, Duration.ZERO);
      default:
        return new ExponentialDelay(config);
    }
  }

  /** A fixed number of restarts, a fixed pause apart. */
  static final class FixedDelay extends RestartStrategy {
    private final int attempts;
    private final Duration delay;
    private int restarts;

    FixedDelay(int attempts, Duration delay) {
      this.attempts = attempts;
      this.delay = delay;
    }

    @Override
    public Optional<Duration> nextDelay(Duration ranFor) {
      return ++restarts > attempts ? Optional.empty() : Optional.of(delay);
    }

    @Override
    public Duration maxDelay() {
      return delay;
    }

    @Override
    String exhausted() {
      return attempts == 0 ? "no restarts allowed" : attempts + " restarts";
    }
  }

  /**
   * Pauses that grow after each failure up to a maximum, with jitter, and start over once an
   * attempt has run long enough to count as healthy.
   */
  static final class ExponentialDelay extends RestartStrategy {
    private final Duration initial;
    private final Duration max;
    private final double multiplier;
    private final Duration resetThreshold;
    private final double jitter;
    private final int attemptsBeforeReset;
    private Duration current;
    private int restartsSinceReset;

    ExponentialDelay(RuntimeConfig config) {
      this.initial = config.get(RuntimeOptions.RESTART_INITIAL_BACKOFF);
      this.max = config.get(RuntimeOptions.RESTART_MAX_BACKOFF);
      this.multiplier = config.get(RuntimeOptions.RESTART_BACKOFF_MULTIPLIER);
      this.resetThreshold = config.get(RuntimeOptions.RESTART_RESET_BACKOFF_THRESHOLD);
      this.jitter = config.get(RuntimeOptions.RESTART_JITTER);
      this.attemptsBeforeReset = config.get(RuntimeOptions.RESTART_ATTEMPTS_BEFORE_RESET);
    }

    @Override
    public Optional<Duration> nextDelay(Duration ranFor) {
      if (current == null || ranFor.compareTo(resetThreshold) >= 0) {
        current = null;
        restartsSinceReset = 0;
      }
      if (++restartsSinceReset > attemptsBeforeReset) {
        return Optional.empty();
      }
      current =
          current == null
              ? min(initial, max)
              : min(Duration.ofNanos((long) (current.toNanos() * multiplier)), max);
      double spread = jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
      return Optional.of(Duration.ofNanos((long) (current.toNanos() * (1 + spread))));
    }

    private static Duration min(Duration a, Duration b) {
      return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public Duration maxDelay() {
      return Duration.ofNanos((long) (max.toNanos() * (1 + jitter)));
    }

    @Override
    String exhausted() {
      return attemptsBeforeReset + " restarts without an attempt running " + resetThreshold;
    }
  }
}
