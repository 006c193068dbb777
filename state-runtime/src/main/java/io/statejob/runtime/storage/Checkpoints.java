package io.statejob.runtime.storage;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.CorruptCheckpointException;
import io.statejob.runtime.snapshot.DamagedSnapshotException;
import io.statejob.runtime.snapshot.SnapshotType;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Finds checkpoints and savepoints by path, for tools and for restoring from a given location. A
 * path may be a checkpoint ({@code chk-<n>}), a savepoint ({@code sp-<n>}), a job's directory, or a
 * base directory that holds one job.
 */
public final class Checkpoints {
  private static final int SEARCH_DEPTH = 4;

  private Checkpoints() {}

  /**
   * One checkpoint directory as found in storage.
   *
   * @param id checkpoint number
   * @param path its directory
   * @param checkpoint its content when valid, else null
   * @param problem why it is not usable, else null
   */
  public record Listing(long id, String path, CompletedCheckpoint checkpoint, String problem) {}

  /** Every checkpoint and savepoint directory of the job at {@code path}, oldest first. */
  public static List<Listing> list(String path, RuntimeConfig config) throws IOException {
    URI uri = toUri(path);
    FileSystem fs = HadoopFileSystems.get(uri, config);
    Path p = new Path(uri);
    Optional<Long> id = snapshotId(p.getName());
    if (id.isPresent()) {
      return List.of(listing(fs, p, id.get()));
    }
    Path jobDir = findJobDir(fs, p);
    List<Listing> result = new ArrayList<>();
    for (SnapshotType type : SnapshotType.values()) {
      Path dir = FileSystemCheckpointStorage.typeDir(jobDir, type);
      if (!fs.exists(dir)) {
        continue;
      }
      for (FileStatus status : fs.listStatus(dir)) {
        Matcher m = type.directoryPattern().matcher(status.getPath().getName());
        if (status.isDirectory() && m.matches()) {
          result.add(listing(fs, status.getPath(), Long.parseLong(m.group(1))));
        }
      }
    }
    result.sort(Comparator.comparingLong(Listing::id));
    return result;
  }

  /** The id in a checkpoint's or savepoint's directory name. */
  private static Optional<Long> snapshotId(String directoryName) {
    for (SnapshotType type : SnapshotType.values()) {
      Matcher m = type.directoryPattern().matcher(directoryName);
      if (m.matches()) {
        return Optional.of(Long.parseLong(m.group(1)));
      }
    }
    return Optional.empty();
  }

  /** The checkpoint or savepoint at {@code path}, or the newest valid one of the job there. */
  public static CompletedCheckpoint load(String path, RuntimeConfig config) throws IOException {
    return newest(path, config, null, skipped -> {});
  }

  /**
   * As {@link #load}, with every file read and verified first: a damaged snapshot named by its path
   * is refused; under a job's directory a damaged one is passed over, with a message to {@code
   * skipped}, for the newest intact one.
   */
  public static CompletedCheckpoint loadIntact(
      String path, RuntimeConfig config, Consumer<String> skipped) throws IOException {
    return newest(path, config, new CheckpointVerifier(config), skipped);
  }

  /** What {@code statejob checkpoints verify} and the tools say of a damaged snapshot. */
  public static String describeDamage(String path, List<DamagedSnapshotException> damage) {
    return path
        + " is damaged: "
        + damage.stream().map(Exception::getMessage).collect(Collectors.joining("; "));
  }

  private static CompletedCheckpoint newest(
      String path, RuntimeConfig config, CheckpointVerifier verifier, Consumer<String> skipped)
      throws IOException {
    List<Listing> listings = list(path, config);
    if (listings.size() == 1 && listings.get(0).checkpoint() == null) {
      throw new CorruptCheckpointException(listings.get(0).problem());
    }
    for (int i = listings.size() - 1; i >= 0; i--) {
      Listing listing = listings.get(i);
      if (listing.checkpoint() == null) {
        continue;
      }
      List<DamagedSnapshotException> damage =
          verifier == null ? List.of() : verifier.damage(listing.checkpoint());
      if (damage.isEmpty()) {
        return listing.checkpoint();
      }
      String message = describeDamage(listing.path(), damage);
      if (listings.size() == 1) {
        throw new CorruptCheckpointException(message);
      }
      skipped.accept(message + "; an older one is used");
    }
    throw new IOException("no intact completed checkpoint under " + path);
  }

  private static Listing listing(FileSystem fs, Path dir, long id) {
    String qualified = fs.makeQualified(dir).toString();
    try {
      if (!fs.exists(dir)) {
        return new Listing(id, qualified, null, qualified + " does not exist");
      }
      CompletedCheckpoint checkpoint = FileSystemCheckpointStorage.read(fs, dir);
      return new Listing(checkpoint.id(), qualified, checkpoint, null);
    } catch (IOException e) {
      return new Listing(id, qualified, null, e.getMessage());
    }
  }

  private static Path findJobDir(FileSystem fs, Path root) throws IOException {
    if (!fs.exists(root)) {
      throw new IOException(root + " does not exist");
    }
    List<Path> found = new ArrayList<>();
    collectJobDirs(fs, root, SEARCH_DEPTH, found);
    if (found.isEmpty()) {
      throw new IOException("no checkpoints under " + root);
    }
    if (found.size() > 1) {
      throw new IOException(root + " holds checkpoints of several jobs; name one of: " + found);
    }
    return found.get(0);
  }

  private static void collectJobDirs(FileSystem fs, Path dir, int depth, List<Path> found)
      throws IOException {
    FileStatus[] children = fs.listStatus(dir);
    for (FileStatus child : children) {
      String name = child.getPath().getName();
      if (child.isDirectory()
          && (SnapshotType.CHECKPOINT.directoryPattern().matcher(name).matches()
              || name.equals(SnapshotType.SAVEPOINT.parent()))) {
        found.add(dir);
        return;
      }
    }
    if (depth > 0) {
      for (FileStatus child : children) {
        if (child.isDirectory()) {
          collectJobDirs(fs, child.getPath(), depth - 1, found);
        }
      }
    }
  }

  /**
   * A checkpoint location as an absolute URI: a plain path or {@code file://./relative} resolves
   * against the working directory, so local manifests can keep checkpoints beside the project.
   */
  public static URI toUri(String path) {
    if (path.startsWith("file://./")) {
      return localUri(path.substring("file://".length()));
    }
    URI uri = URI.create(path);
    return uri.getScheme() == null ? localUri(path) : uri;
  }

  /** Without the trailing slash {@code Path.toUri()} gives directories, which Hadoop keeps. */
  private static URI localUri(String path) {
    String uri = java.nio.file.Path.of(path).toAbsolutePath().normalize().toUri().toString();
    boolean trailingSlash = uri.endsWith("/") && uri.length() > "file:///".length();
    return URI.create(trailingSlash ? uri.substring(0, uri.length() - 1) : uri);
  }
}
