package io.statejob.benchmarks.checkpoint;

import io.statejob.runtime.state.rocksdb.database.RocksDBFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What the disk does without StateJob: {@code cp -r} of the same files, and their size. */
final class DiskCeiling {
  private DiskCeiling() {}

  /**
   * The copies {@link #copySeconds} times: on this machine's virtual disk one {@code cp} of the
   * same files takes 0.3 s or 2.6 s depending on what was written before it, so the fastest of a
   * few.
   */
  private static final int COPIES = 3;

  /**
   * Seconds the fastest of {@value #COPIES} {@code cp -r source} takes to a fresh directory
   * (deleted afterwards), once the files under {@code source} are quiet.
   */
  static double copySeconds(Path source) throws IOException, InterruptedException {
    awaitQuiet(source);
    Path target = Files.createTempDirectory(source.getParent(), "cp-");
    try {
      double fastest = Double.MAX_VALUE;
      for (int run = 0; run < COPIES; run++) {
        Path copy = target.resolve(String.valueOf(run));
        settle();
        long start = System.nanoTime();
        run("cp", "-r", source.toString(), copy.toString());
        fastest = Math.min(fastest, (System.nanoTime() - start) / 1e9);
        RocksDBFiles.deleteQuietly(copy);
      }
      return fastest;
    } finally {
      RocksDBFiles.deleteQuietly(target);
    }
  }

  /**
   * Writes dirty pages out ({@code sync}), so a timed operation does not wait for the writeback of
   * what came before it.
   */
  static void settle() throws IOException, InterruptedException {
    run("sync");
  }

  private static void run(String... command) throws IOException, InterruptedException {
    if (new ProcessBuilder(command).inheritIO().start().waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed");
    }
  }

  /**
   * Waits until the files in {@code directory} (names and sizes) stay the same for a second: until
   * RocksDB's background flushes and compactions are done, so that neither races a timed operation
   * nor changes the files {@code cp} is given.
   */
  static void awaitQuiet(Path directory) throws InterruptedException {
    Map<String, Long> last = Map.of();
    int quietPolls = 0;
    while (quietPolls < 4) {
      Thread.sleep(250);
      Map<String, Long> now = files(directory);
      quietPolls = now.equals(last) ? quietPolls + 1 : 0;
      last = now;
    }
  }

  /** Name to size of the files in {@code directory}; a file deleted meanwhile counts as 0. */
  private static Map<String, Long> files(Path directory) {
    File[] files = directory.toFile().listFiles();
    return files == null
        ? Map.of()
        : Arrays.stream(files).collect(Collectors.toMap(File::getName, File::length));
  }

  /** Bytes of the regular files under {@code root}. */
  static long bytes(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).mapToLong(DiskCeiling::size).sum();
    }
  }

  static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
