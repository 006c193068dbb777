package io.statejob.benchmarks.state;

import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.KeyedStateSnapshot;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The longest pause of the task thread while the heap backend checkpoints: {@code --keys} keys of a
 * {@code ValueState<Long>}, updated at random by the task thread as fast as it goes, with a
 * snapshot every {@code --interval-ms} written on another thread as a worker writes it. Reports the
 * synchronous part of each snapshot and the slowest single update (copy-on-write included), beside
 * the slowest update of a run as long without snapshots. Updates during which a garbage collection
 * ran are left out (they are counted): they measure the collector, not the backend.
 */
@Command(name = "heap-snapshot-pause", mixinStandardHelpOptions = true)
public final class HeapSnapshotPauseBenchmark implements Callable<Integer> {
  @Option(names = "--keys", defaultValue = "1000000")
  int keys;

  @Option(names = "--max-parallelism", defaultValue = "128", description = "Key groups")
  int maxParallelism;

  @Option(names = "--snapshots", defaultValue = "10")
  int snapshots;

  @Option(names = "--interval-ms", defaultValue = "1000")
  long intervalMs;

  private final SplittableRandom random = new SplittableRandom(7);
  private final GcPauses gcPauses = new GcPauses();
  private Long[] boxedKeys;
  private int[] keyGroups;

  @Override
  public Integer call() throws Exception {
    try (BenchmarkBackend heap = new BenchmarkBackend("heap", maxParallelism)) {
      KeyedStateBackend<Long> backend = heap.keyed();
      boxedKeys = new Long[keys];
      keyGroups = new int[keys];
      for (int i = 0; i < keys; i++) {
        boxedKeys[i] = (long) i;
        keyGroups[i] = heap.keyGroupOf(boxedKeys[i]);
      }
      ValueState<Long> value = heap.state(new ValueStateDescriptor<>("value", Serializers.LONG));
      for (int i = 0; i < keys; i++) {
        backend.setCurrentKey(boxedKeys[i], keyGroups[i]);
        value.update(random.nextLong());
      }
      long window = intervalMs * 1_000_000L;
      updateFor(backend, value, 3 * window); // warm-up
      Slowest quiet = updateFor(backend, value, snapshots * window);
      long slowestSync = 0;
      Slowest during = new Slowest();
      for (long id = 1; id <= snapshots; id++) {
        long start = System.nanoTime();
        KeyedStateSnapshot snapshot = backend.snapshot(id, SnapshotType.CHECKPOINT);
        slowestSync = Math.max(slowestSync, System.nanoTime() - start);
        CompletableFuture<Void> written =
            CompletableFuture.runAsync(() -> write(snapshot, maxParallelism));
        during.add(updateFor(backend, value, window));
        written.join();
      }
      System.out.printf(
          Locale.ROOT,
          "RESULT heapSnapshotPause heap keys=%d keyGroups=%d syncPartMaxMs=%.3f"
              + " updateMaxMs=%.3f updateMaxWithoutSnapshotsMs=%.3f"
              + " (updates overlapping a GC left out: %d with snapshots, %d without)%n",
          keys,
          maxParallelism,
          slowestSync / 1e6,
          during.nanos / 1e6,
          quiet.nanos / 1e6,
          during.gcOverlaps,
          quiet.gcOverlaps);
    }
    return 0;
  }

  /** The slowest update that no garbage collection overlapped, and how many were left out. */
  private static final class Slowest {
    long nanos;
    int gcOverlaps;

    void add(Slowest other) {
      nanos = Math.max(nanos, other.nanos);
      gcOverlaps += other.gcOverlaps;
    }
  }

  /** Random updates for {@code nanos}. */
  private Slowest updateFor(KeyedStateBackend<Long> backend, ValueState<Long> value, long nanos) {
    long end = System.nanoTime() + nanos;
    Slowest slowest = new Slowest();
    long before = System.nanoTime();
    while (before < end) {
      int i = random.nextInt(keys);
      backend.setCurrentKey(boxedKeys[i], keyGroups[i]);
      value.update(random.nextLong());
      long after = System.nanoTime();
      if (after - before > slowest.nanos) {
        if (gcPauses.overlap(before, after)) {
          slowest.gcOverlaps++;
        } else {
          slowest.nanos = after - before;
        }
        after = System.nanoTime(); // the check waited: not the next update's time
      }
      before = after;
    }
    return slowest;
  }

  /** Writes every block of the snapshot, as a worker's snapshot thread does, then releases it. */
  private static void write(KeyedStateSnapshot snapshot, int keyGroups) {
    DataOutputBuffer out = new DataOutputBuffer(1 << 20);
    try {
      for (int state = 0; state < snapshot.states().size(); state++) {
        for (int keyGroup = 0; keyGroup < keyGroups; keyGroup++) {
          out.reset();
          snapshot.writeBlock(state, keyGroup, out);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      snapshot.release();
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new HeapSnapshotPauseBenchmark()).execute(args));
  }
}
