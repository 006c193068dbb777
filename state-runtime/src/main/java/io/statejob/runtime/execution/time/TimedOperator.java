package io.statejob.runtime.execution.time;

/** An operator of the chain that may use timers; opened once keyed state is restored. */
public interface TimedOperator {
  void open(TimerServices clocks) throws Exception;
}
