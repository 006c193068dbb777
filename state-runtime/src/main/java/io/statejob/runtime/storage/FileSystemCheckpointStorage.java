package io.statejob.runtime.storage;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.snapshot.CheckpointMetadata;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.CorruptCheckpointException;
import io.statejob.runtime.snapshot.MetadataCodec;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.UnsupportedCheckpointFormatException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints as files under {@code <dir>/<job-id>/chk-<n>/} through Hadoop's FileSystem API, so
 * {@code file://} and {@code s3a://} share one code path. Its {@link #forType savepoint view} keeps
 * savepoints under {@code <dir>/<job-id>/savepoints/sp-<n>/} the same way.
 */
public final class FileSystemCheckpointStorage implements CheckpointStorage {
  private static final Logger LOG = LoggerFactory.getLogger(FileSystemCheckpointStorage.class);
  public static final String METADATA = "_metadata";
  private static final Pattern SHARED_FILE = Pattern.compile("chk-(\\d+)-.*");

  private final FileSystem fs;
  private final Path jobDir;
  private final SnapshotType type;
  private final long inlineThreshold;
  private final String endpoint;

  /** Object stores make a PUT visible whole; file systems need a rename to be atomic. */
  private final boolean atomicCreate;

  /** This process's claim on completing the job's snapshots, shared by its views. */
  private final AtomicReference<CoordinatorFence> fence;

  public FileSystemCheckpointStorage(
      URI baseDir, String jobId, RuntimeConfig config, long inlineThreshold) throws IOException {
    this.fs = HadoopFileSystems.get(baseDir, config);
    this.jobDir = new Path(new Path(baseDir), jobId);
    this.inlineThreshold = inlineThreshold;
    this.endpoint = config.getRaw("fs." + baseDir.getScheme() + ".endpoint").orElse(null);
    this.atomicCreate = !Set.of("file", "hdfs").contains(baseDir.getScheme());
    this.type = SnapshotType.CHECKPOINT;
    this.fence = new AtomicReference<>();
  }

  private FileSystemCheckpointStorage(FileSystemCheckpointStorage job, SnapshotType type) {
    this.fs = job.fs;
    this.jobDir = job.jobDir;
    this.inlineThreshold = job.inlineThreshold;
    this.endpoint = job.endpoint;
    this.atomicCreate = job.atomicCreate;
    this.type = type;
    this.fence = job.fence;
  }

  /**
   * Storage under {@code state.checkpoints.dir} for a backend that cannot work without it.
   *
   * @throws IllegalArgumentException naming the backend when the directory is not set
   */
  public static CheckpointStorage.Factory requiredBy(String backend, RuntimeConfig config) {
    String dir =
        config
            .getOptional(RuntimeOptions.CHECKPOINTS_DIR)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the "
                            + backend
                            + " backend needs state.checkpoints.dir (spec.checkpoints.uri)"));
    long threshold = config.get(RuntimeOptions.FS_MEMORY_THRESHOLD);
    return jobId ->
        new FileSystemCheckpointStorage(Checkpoints.toUri(dir), jobId, config, threshold);
  }

  @Override
  public String location() {
    return jobDir.toString();
  }

  @Override
  public FileSystemCheckpointStorage forType(SnapshotType snapshotType) {
    return snapshotType == type ? this : new FileSystemCheckpointStorage(this, snapshotType);
  }

  @Override
  public String snapshotPath(long id) {
    return fs.makeQualified(checkpointDir(id)).toString();
  }

  public Path checkpointDir(long checkpointId) {
    return new Path(typeDir(), type.directoryName(checkpointId));
  }

  private Path typeDir() {
    return typeDir(jobDir, type);
  }

  /** Where a job keeps its snapshots of {@code type}: its own directory, or a folder in it. */
  static Path typeDir(Path jobDir, SnapshotType type) {
    return type.parent().isEmpty() ? jobDir : new Path(jobDir, type.parent());
  }

  @Override
  public CheckpointOutputStream createStream(long checkpointId, int subtask) {
    Path file =
        new Path(
            checkpointDir(checkpointId),
            "subtask-" + subtask + "-" + UUID.randomUUID().toString().substring(0, 8));
    return new SpillingCheckpointOutputStream(inlineThreshold, fileTarget(file));
  }

  private SpillingCheckpointOutputStream.FileTarget fileTarget(Path file) {
    return new SpillingCheckpointOutputStream.FileTarget() {
      @Override
      public OutputStream create() throws IOException {
        return new DiskErrorOutputStream(fs.create(file, false), path());
      }

      @Override
      public String path() {
        return fs.makeQualified(file).toString();
      }

      @Override
      public void delete() {
        try {
          fs.delete(file, false);
        } catch (IOException e) {
          LOG.atWarn().addKeyValue("file", file).log("cannot delete discarded snapshot file");
        }
      }
    };
  }

  @Override
  public long fenceOthers() throws IOException {
    CoordinatorFence claimed = CoordinatorFence.claim(fs, jobDir);
    fence.set(claimed);
    return claimed.epoch();
  }

  @Override
  public CompletedCheckpoint persist(CheckpointMetadata metadata) throws IOException {
    CoordinatorFence claimed = fence.get();
    if (claimed != null) {
      claimed.check();
    }
    Path dir = checkpointDir(metadata.checkpointId());
    byte[] bytes = MetadataCodec.encode(metadata);
    Path target = new Path(dir, METADATA);
    if (atomicCreate) {
      try (OutputStream out =
          new DiskErrorOutputStream(fs.create(target, false), target.toString())) {
        out.write(bytes);
      }
    } else {
      Path temporary = new Path(dir, METADATA + ".inprogress");
      try (OutputStream out =
          new DiskErrorOutputStream(fs.create(temporary, true), temporary.toString())) {
        out.write(bytes);
      }
      if (!fs.rename(temporary, target)) {
        throw new IOException("cannot rename " + temporary + " to " + target);
      }
    }
    return new CompletedCheckpoint(metadata, fs.makeQualified(dir).toString());
  }

  @Override
  public CheckpointOutputStream createSharedStream(long checkpointId, String name) {
    if (type.isSavepoint()) {
      throw new UnsupportedOperationException("a savepoint is self-contained: it shares no files");
    }
    Path file =
        new Path(
            sharedDir(),
            "chk-"
                + checkpointId
                + "-"
                + UUID.randomUUID().toString().substring(0, 8)
                + "-"
                + name);
    return new SpillingCheckpointOutputStream(-1, fileTarget(file));
  }

  private Path sharedDir() {
    return new Path(jobDir, "shared");
  }

  @Override
  public void collectGarbage(Set<String> referenced, long upToCheckpointId) throws IOException {
    Path shared = sharedDir();
    if (!fs.exists(shared)) {
      return;
    }
    for (FileStatus status : fs.listStatus(shared)) {
      Matcher m = SHARED_FILE.matcher(status.getPath().getName());
      String path = fs.makeQualified(status.getPath()).toString();
      if (m.matches()
          && Long.parseLong(m.group(1)) <= upToCheckpointId
          && !referenced.contains(path)) {
        fs.delete(status.getPath(), false);
      }
    }
  }

  @Override
  public void deleteClaimed(Set<String> unreferenced) throws IOException {
    String own = fs.makeQualified(sharedDir()).toString() + "/";
    for (String file : unreferenced) {
      if (!file.startsWith(own)) {
        Path claimed = new Path(file);
        claimed.getFileSystem(fs.getConf()).delete(claimed, false);
      }
    }
  }

  /** Deletes {@code _metadata} first, so a half-deleted checkpoint is never taken as complete. */
  @Override
  public void discard(long checkpointId) throws IOException {
    Path dir = checkpointDir(checkpointId);
    fs.delete(new Path(dir, METADATA), false);
    fs.delete(dir, true);
  }

  /**
   * Deletes every checkpoint of the job, complete or not, and the shared files; savepoints stay.
   * Each checkpoint loses its {@code _metadata} first, so an interrupted deletion never leaves a
   * checkpoint that looks complete but misses files.
   *
   * @return how many checkpoint directories were deleted
   */
  public int deleteCheckpoints() throws IOException {
    if (!fs.exists(jobDir)) {
      return 0;
    }
    int deleted = 0;
    for (FileStatus status : fs.listStatus(jobDir)) {
      Matcher m = SnapshotType.CHECKPOINT.directoryPattern().matcher(status.getPath().getName());
      if (status.isDirectory() && m.matches()) {
        discard(Long.parseLong(m.group(1)));
        deleted++;
      }
    }
    fs.delete(sharedDir(), true);
    fs.delete(new Path(jobDir, CoordinatorFence.DIRECTORY), true);
    if (fs.listStatus(jobDir).length == 0) {
      fs.delete(jobDir, false);
    }
    return deleted;
  }

  @Override
  public RecoveredCheckpoints recover() throws IOException {
    Path dir = typeDir();
    if (!fs.exists(dir)) {
      return RecoveredCheckpoints.none();
    }
    List<CompletedCheckpoint> completed = new ArrayList<>();
    List<Long> incomplete = new ArrayList<>();
    long highest = 0;
    for (FileStatus status : fs.listStatus(dir)) {
      Matcher m = type.directoryPattern().matcher(status.getPath().getName());
      if (!status.isDirectory() || !m.matches()) {
        continue;
      }
      long id = Long.parseLong(m.group(1));
      highest = Math.max(highest, id);
      Path metadataFile = new Path(status.getPath(), METADATA);
      if (!fs.exists(metadataFile)) {
        incomplete.add(id);
        continue;
      }
      try {
        completed.add(read(fs, status.getPath()));
      } catch (CorruptCheckpointException e) {
        LOG.atWarn()
            .addKeyValue("checkpoint", status.getPath())
            .addKeyValue("reason", e.getMessage())
            .log("skipping corrupt checkpoint; an older one is used");
      }
    }
    completed.sort(Comparator.comparingLong(CompletedCheckpoint::id));
    return new RecoveredCheckpoints(completed, incomplete, highest);
  }

  /** Reads the checkpoint in directory {@code dir}. */
  public static CompletedCheckpoint read(FileSystem fs, Path dir) throws IOException {
    Path file = new Path(dir, METADATA);
    byte[] bytes;
    try (FSDataInputStream in = fs.open(file)) {
      bytes = in.readAllBytes();
    } catch (java.io.FileNotFoundException e) {
      throw new CorruptCheckpointException(dir + " has no " + METADATA + ": it never completed");
    }
    try {
      return new CompletedCheckpoint(MetadataCodec.decode(bytes), fs.makeQualified(dir).toString());
    } catch (CorruptCheckpointException e) {
      throw new CorruptCheckpointException(file + ": " + e.getMessage(), e);
    } catch (UnsupportedCheckpointFormatException e) {
      throw new UnsupportedCheckpointFormatException(file + ": " + e.getMessage());
    }
  }

  @Override
  public String describeFailure(Exception failure) {
    return location()
        + (endpoint == null ? "" : " (endpoint " + endpoint + ")")
        + ": "
        + CheckpointStorage.rootCause(failure);
  }

  /** The file system is shared by the process; nothing of this storage's own stays open. */
  @Override
  public void close() {}
}
