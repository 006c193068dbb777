package io.statejob.runtime.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Named daemon threads for the runtime's background work, so a process ends when its main work does
 * and a thread dump says what each thread is for.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  public static ThreadFactory named(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One thread that runs tasks in order, now or later. */
  public static ScheduledExecutorService scheduler(String name) {
    return Executors.newSingleThreadScheduledExecutor(named(name));
  }

  /** One thread that runs tasks in order. */
  public static ExecutorService single(String name) {
    return Executors.newSingleThreadExecutor(named(name));
  }

  /** Threads made as tasks need them and reused: request handlers. */
  public static ExecutorService cached(String name) {
    return Executors.newCachedThreadPool(named(name));
  }
}
