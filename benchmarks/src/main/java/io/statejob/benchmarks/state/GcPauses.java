package io.statejob.benchmarks.state;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The garbage collections of this JVM as they happen, to tell a pause of the code measured from one
 * of the collector. Collections are reported in milliseconds of JVM uptime; {@link #overlap} takes
 * {@link System#nanoTime} and allows a millisecond either side.
 */
final class GcPauses {
  private final long uptimeMinusNanoMs;
  private final List<long[]> collections = new ArrayList<>(); // [start, end] in uptime ms

  GcPauses() {
    uptimeMinusNanoMs =
        ManagementFactory.getRuntimeMXBean().getUptime() - System.nanoTime() / 1_000_000;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) collector)
          .addNotificationListener(
              (notification, handback) -> {
                if (notification
                    .getType()
                    .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                  GarbageCollectionNotificationInfo info =
                      GarbageCollectionNotificationInfo.from(
                          (CompositeData) notification.getUserData());
                  long start = info.getGcInfo().getStartTime();
                  synchronized (collections) {
                    collections.add(new long[] {start, start + info.getGcInfo().getDuration()});
                  }
                }
              },
              null,
              null);
    }
  }

  /** Whether a collection ran between {@code fromNanos} and {@code toNanos}. */
  boolean overlap(long fromNanos, long toNanos) {
    // notifications arrive shortly after the collection: wait for the one of this pause
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long from = fromNanos / 1_000_000 + uptimeMinusNanoMs - 1;
    long to = toNanos / 1_000_000 + uptimeMinusNanoMs + 1;
    synchronized (collections) {
      for (long[] collection : collections) {
        if (collection[0] <= to && collection[1] >= from) {
          return true;
        }
      }
    }
    return false;
  }
}
