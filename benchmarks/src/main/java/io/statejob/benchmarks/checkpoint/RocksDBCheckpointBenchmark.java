package io.statejob.benchmarks.checkpoint;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.benchmarks.Comparison;
import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.snapshot.IncrementalHandle;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.state.TtlTimeProvider;
import io.statejob.runtime.state.rocksdb.database.RocksDBFiles;
import io.statejob.runtime.testing.BackendHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * RocksDB checkpoints of a large state against the disk's ceiling, through the stream format and
 * {@code file://} storage the workers use:
 *
 * <ul>
 *   <li>a full checkpoint (both parts) against {@code cp -r} of the database's files;
 *   <li>its restore into a fresh database against {@code cp -r} of the checkpoint's files;
 *   <li>the first incremental checkpoint after that restore, which uploads every SST file, against
 *       {@code cp -r} of the database's files;
 *   <li>after changing a fraction of the keys, the bytes an incremental checkpoint uploads against
 *       the bytes of the SST files its database has that the previous checkpoint's did not;
 *   <li>the restore of that incremental checkpoint against {@code cp -r} of the database's files.
 * </ul>
 *
 * Values are random bytes, so the files are as large as the state. Rates are MB/s of state (higher
 * is better): ratio ≥ 0.77 means the operation takes at most 1.3× as long as {@code cp}. The page
 * cache holds all of it (the machine has 24 GiB), so {@code cp} runs at memory speed: the strictest
 * ceiling there is.
 */
@Command(name = "rocksdb-checkpoint", mixinStandardHelpOptions = true)
public final class RocksDBCheckpointBenchmark implements Callable<Integer> {
  private static final ValueStateDescriptor<byte[]> PAYLOAD =
      new ValueStateDescriptor<>("payload", Serializers.BYTES);
  private static final String STATE = "op.payload";

  @Option(names = "--state-mb", defaultValue = "1024", description = "State size in MiB")
  int stateMb;

  @Option(names = "--value-bytes", defaultValue = "1000")
  int valueBytes;

  @Option(
      names = "--changed",
      defaultValue = "0.01",
      description = "Fraction of the keys changed before the incremental checkpoint")
  double changed;

  @Option(names = "--dir", description = "Work directory (default: a temporary one)")
  Path dir;

  public static void main(String[] args) {
    System.exit(new CommandLine(new RocksDBCheckpointBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("chk-");
    try {
      run(work);
      return 0;
    } finally {
      if (dir == null) {
        RocksDBFiles.deleteQuietly(work);
      }
    }
  }

  private void run(Path work) throws Exception {
    int keys = (int) ((long) stateMb * 1024 * 1024 / valueBytes);
    RuntimeConfig fullConfig = BackendHarness.rocksDBConfig(work.resolve("full"), false);
    RuntimeConfig incrementalConfig =
        BackendHarness.rocksDBConfig(work.resolve("incremental"), true);
    try (BackendHarness full = harness(fullConfig)) {
      long loading = System.nanoTime();
      write(full, 0, keys, 1);
      System.out.printf(
          Locale.ROOT,
          "%,d keys of %d random bytes written in %.1f s%n",
          keys,
          valueBytes,
          (System.nanoTime() - loading) / 1e9);

      Path database = databaseDirectory(work.resolve("full").resolve("local"));
      double cpDatabase = DiskCeiling.copySeconds(database);
      double stateMib = DiskCeiling.bytes(database) / 1048576.0;
      DiskCeiling.settle();
      long start = System.nanoTime();
      List<SubtaskState> fullAcks = full.snapshot(1);
      double checkpointSeconds = (System.nanoTime() - start) / 1e9;
      Path checkpoints = work.resolve("full").resolve("checkpoints");
      report("full-checkpoint", stateMib, checkpointSeconds, cpDatabase, checkpoints);

      double cpCheckpoint = DiskCeiling.copySeconds(checkpoints);
      try (BackendHarness empty = harness(incrementalConfig)) {
        DiskCeiling.settle();
        start = System.nanoTime();
        try (BackendHarness restored = empty.restore(fullAcks, 1)) {
          double restoreSeconds = (System.nanoTime() - start) / 1e9;
          report("full-restore", stateMib, restoreSeconds, cpCheckpoint, null);
          incremental(restored, keys, work.resolve("incremental").resolve("local"), stateMib);
        }
      }
    }
  }

  /** Checkpoints 2 (all files) and 3 (after the change), then restores 3. */
  private void incremental(BackendHarness harness, int keys, Path local, double stateMib)
      throws Exception {
    double cpDatabase = DiskCeiling.copySeconds(databaseDirectory(local));
    DiskCeiling.settle();
    long start = System.nanoTime();
    Map<String, Long> before = snapshotFiles(harness, 2, local).sstFiles();
    report(
        "incremental-first-checkpoint",
        stateMib,
        (System.nanoTime() - start) / 1e9,
        cpDatabase,
        null);
    write(harness, 0, (int) (keys * changed), 2);
    Frozen third = snapshotFiles(harness, 3, local);
    long newSstBytes =
        third.sstFiles().entrySet().stream()
            .filter(file -> !before.containsKey(file.getKey()))
            .mapToLong(Map.Entry::getValue)
            .sum();
    IncrementalHandle handle = third.acks().get(0).incremental().orElseThrow();
    Comparison upload =
        new Comparison(
            "incremental-upload-bytes", "rocksdb", handle.uploadedBytes(), "new-sst", newSstBytes);
    System.out.printf(
        Locale.ROOT,
        "incremental checkpoint after changing %.1f%% of the keys: uploaded %,d bytes of %,d;"
            + " new SST files %,d bytes%n",
        changed * 100,
        handle.uploadedBytes(),
        handle.totalBytes(),
        newSstBytes);
    System.out.println(upload.resultLine());

    cpDatabase = DiskCeiling.copySeconds(databaseDirectory(local));
    DiskCeiling.settle();
    start = System.nanoTime();
    try (BackendHarness restored = harness.restore(third.acks(), 1)) {
      report("incremental-restore", stateMib, (System.nanoTime() - start) / 1e9, cpDatabase, null);
    }
  }

  /** A checkpoint's acknowledgements and the SST files (name → bytes) its database held. */
  private record Frozen(List<SubtaskState> acks, Map<String, Long> sstFiles) {}

  private static Frozen snapshotFiles(BackendHarness harness, long checkpointId, Path local)
      throws IOException {
    List<KeyedStateSnapshot> frozen = harness.freeze(checkpointId);
    Map<String, Long> sstFiles;
    try (Stream<Path> files = Files.walk(local)) {
      sstFiles =
          files
              .filter(
                  file ->
                      file.getParent().getFileName().toString().endsWith("-chk-" + checkpointId))
              .filter(file -> file.getFileName().toString().endsWith(".sst"))
              .collect(Collectors.toMap(file -> file.getFileName().toString(), DiskCeiling::size));
    }
    List<SubtaskState> acks = harness.write(checkpointId, frozen);
    harness.notifyComplete(checkpointId);
    return new Frozen(acks, sstFiles);
  }

  private static void report(
      String name, double stateMib, double seconds, double cpSeconds, Path written)
      throws IOException {
    Comparison comparison =
        new Comparison(name, "rocksdb", stateMib / seconds, "cp", stateMib / cpSeconds);
    System.out.printf(
        Locale.ROOT,
        "%s of %.0f MiB: %.2f s; cp -r of the same files %.2f s (%.2f×)%s%n",
        name,
        stateMib,
        seconds,
        cpSeconds,
        seconds / cpSeconds,
        written == null
            ? ""
            : String.format(
                Locale.ROOT, "; %.0f MiB written", DiskCeiling.bytes(written) / 1048576.0));
    System.out.println(comparison.resultLine());
  }

  private static BackendHarness harness(RuntimeConfig config) throws Exception {
    return BackendHarness.open(config, 1, TtlTimeProvider.SYSTEM);
  }

  /** Sets keys {@code from..to} to fresh random values. */
  private void write(BackendHarness harness, int from, int to, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = from; i < to; i++) {
      byte[] value = new byte[valueBytes];
      random.nextBytes(value);
      harness.<ValueState<byte[]>>state("key-" + i, STATE, PAYLOAD).update(value);
    }
  }

  /** The one live database under a backend's local directory: the one with a CURRENT file. */
  private static Path databaseDirectory(Path local) throws IOException {
    try (Stream<Path> files = Files.walk(local)) {
      List<Path> databases =
          files
              .filter(file -> file.getFileName().toString().equals("CURRENT"))
              .map(Path::getParent)
              .filter(directory -> !directory.getFileName().toString().contains("-chk-"))
              .toList();
      if (databases.size() != 1) {
        throw new IllegalStateException("expected one database under " + local + ": " + databases);
      }
      return databases.get(0);
    }
  }
}
