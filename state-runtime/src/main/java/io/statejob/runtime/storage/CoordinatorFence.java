package io.statejob.runtime.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSDataOutputStreamBuilder;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the coordinator that started last the only one that completes a job's checkpoints. Each
 * coordinator takes the next epoch under {@code <job>/_coordinators/} with an exclusive create (a
 * put-if-absent on S3, {@code If-None-Match}), and checks before every completion that no newer
 * epoch exists. A coordinator left running by a node partition or an eviction then stops instead of
 * completing checkpoints beside its replacement.
 */
public final class CoordinatorFence {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorFence.class);
  static final String DIRECTORY = "_coordinators";
  private static final Pattern EPOCH = Pattern.compile("epoch-(\\d+)");

  /** S3A's put-if-absent; other file systems create exclusively anyway. */
  private static final String CONDITIONAL_CREATE = "fs.option.create.conditional.overwrite";

  private static final int CLAIM_ATTEMPTS = 10;

  private final FileSystem fs;
  private final Path directory;
  private final long epoch;

  private CoordinatorFence(FileSystem fs, Path directory, long epoch) {
    this.fs = fs;
    this.directory = directory;
    this.epoch = epoch;
  }

  /** Takes the next epoch of the job in {@code jobDir}, and drops the older ones. */
  static CoordinatorFence claim(FileSystem fs, Path jobDir) throws IOException {
    Path directory = new Path(jobDir, DIRECTORY);
    boolean conditional = true;
    for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      long next = newest(fs, directory) + 1;
      Path file = new Path(directory, "epoch-" + next);
      FSDataOutputStreamBuilder<?, ?> create = fs.createFile(file);
      create.overwrite(false).recursive().opt(CONDITIONAL_CREATE, conditional);
      try (FSDataOutputStream out = create.build()) {
        out.write(new byte[0]);
      } catch (IOException e) {
        if (e instanceof FileAlreadyExistsException || fs.exists(file)) {
          continue; // another coordinator took it at the same moment: take the one after
        }
        if (!conditional) {
          throw e;
        }
        // some S3-compatible stores refuse If-None-Match: check, then write
        LOG.atWarn()
            .addKeyValue("directory", directory)
            .addKeyValue("reason", CheckpointStorage.rootCause(e))
            .log(
                "the store takes no conditional writes: two coordinators starting at the same"
                    + " moment could take one epoch");
        conditional = false;
        continue;
      }
      for (FileStatus older : list(fs, directory)) {
        if (epochOf(older) < next) {
          fs.delete(older.getPath(), false);
        }
      }
      return new CoordinatorFence(fs, directory, next);
    }
    throw new IOException(
        "cannot take a coordinator epoch under " + directory + ": others keep taking them");
  }

  public long epoch() {
    return epoch;
  }

  /**
   * @throws FencedException when a coordinator that started later took a newer epoch
   */
  void check() throws IOException {
    long newest = newest(fs, directory);
    if (newest > epoch) {
      throw new FencedException(
          "another coordinator of this job started (epoch "
              + newest
              + " in "
              + directory
              + "); this one (epoch "
              + epoch
              + ") completes no more checkpoints and stops");
    }
  }

  private static long newest(FileSystem fs, Path directory) throws IOException {
    long newest = 0;
    for (FileStatus status : list(fs, directory)) {
      newest = Math.max(newest, epochOf(status));
    }
    return newest;
  }

  /** One listing per call: it runs before every checkpoint completes, a LIST request on S3. */
  private static FileStatus[] list(FileSystem fs, Path directory) throws IOException {
    try {
      return fs.listStatus(directory);
    } catch (FileNotFoundException e) {
      return new FileStatus[0];
    }
  }

  private static long epochOf(FileStatus status) {
    Matcher m = EPOCH.matcher(status.getPath().getName());
    return m.matches() ? Long.parseLong(m.group(1)) : 0;
  }

  /** A coordinator that started later took the job's checkpoints over. */
  public static final class FencedException extends IOException {
    FencedException(String message) {
      super(message);
    }
  }
}
