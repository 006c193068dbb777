package io.statejob.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waits for a condition a background job makes true, failing the test after a bound. */
public final class Await {
  private Await() {}

  public static void until(BooleanSupplier condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition met within %d s", seconds).isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
