package io.statejob.runtime.connector;

import io.statejob.runtime.api.CheckpointListener;
import io.statejob.runtime.api.CheckpointedFunction;
import io.statejob.runtime.api.Sink;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.serialization.Serializers;
import java.io.BufferedWriter;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.StreamCapabilities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records as lines, exactly once, as Flink's FileSink does, to a local directory or an
 * object store ({@code file://}, {@code s3a://}). Records go to an in-progress file under {@code
 * <dir>/.inprogress/}; at a checkpoint the file is closed (on S3A: uploaded) and becomes pending;
 * when that checkpoint completes it is renamed to {@code <dir>/part-<subtask>-<checkpoint>}. A
 * restore commits the files of the restored checkpoint and deletes in-progress files of failed
 * attempts, so committed output holds every record once.
 */
public final class FileSink<T> implements Sink<T>, CheckpointedFunction, CheckpointListener {
  private static final Logger LOG = LoggerFactory.getLogger(FileSink.class);
  private static final String IN_PROGRESS = ".inprogress";

  private final URI directoryUri;
  private FileSystem fs;
  private Path directory;
  private int subtask;
  private ListState<String> pendingState;

  /** Closed files waiting for their checkpoint: "checkpointId|in-progress path|final path". */
  private final List<String> pending = new ArrayList<>();

  private FSDataOutputStream stream;
  private BufferedWriter writer;
  private Path inProgress;

  public FileSink(URI directory) {
    this.directoryUri = directory;
  }

  public FileSink(java.nio.file.Path directory) {
    this(directory.toAbsolutePath().toUri());
  }

  /** A sink to {@code output}: a URI with a scheme, or a local path. */
  public static <T> FileSink<T> to(String output) {
    return output.contains("://")
        ? new FileSink<>(URI.create(output))
        : new FileSink<>(java.nio.file.Path.of(output));
  }

  @Override
  public void initializeState(InitializationContext context) throws IOException {
    subtask = context.subtaskIndex();
    fs = context.fileSystem(directoryUri);
    directory = new Path(directoryUri);
    fs.mkdirs(new Path(directory, IN_PROGRESS));
    // union state: after a rescale every worker sees every pending file and commits its share
    pendingState =
        context
            .getOperatorStateStore()
            .getUnionListState(new ListStateDescriptor<>("pending-files", Serializers.STRING));
    Set<String> restored = new HashSet<>();
    for (String entry : pendingState.get()) {
      String[] parts = entry.split("\\|", 3);
      restored.add(parts[1]);
      if (Math.floorMod(parts[2].hashCode(), context.parallelism()) == subtask) {
        commit(new Path(parts[1]), new Path(parts[2]));
      }
    }
    pendingState.clear();
    deleteAbandonedFiles(restored, context.parallelism());
  }

  /**
   * Deletes in-progress files of failed attempts: this worker's, and for worker 0 those of workers
   * that no longer exist after a rescale. Files the restored checkpoint still commits are kept.
   */
  private void deleteAbandonedFiles(Set<String> restored, int parallelism) throws IOException {
    FileStatus[] files;
    try {
      files = fs.listStatus(new Path(directory, IN_PROGRESS));
    } catch (FileNotFoundException e) {
      return; // an object store lists no empty directory
    }
    for (FileStatus file : files) {
      int owner = ownerOf(file.getPath());
      boolean mine = owner == subtask || (subtask == 0 && owner >= parallelism);
      if (mine && !restored.contains(file.getPath().toString())) {
        fs.delete(file.getPath(), false);
      }
    }
  }

  private static int ownerOf(Path inProgressFile) {
    String name = inProgressFile.getName(); // part-<subtask>-<attempt>
    try {
      return Integer.parseInt(name.split("-")[1]);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  @Override
  public void write(T record) throws IOException {
    if (writer == null) {
      inProgress =
          new Path(
              new Path(directory, IN_PROGRESS),
              "part-" + subtask + "-" + UUID.randomUUID().toString().substring(0, 8));
      stream = fs.create(inProgress, false);
      writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
    }
    writer.write(String.valueOf(record));
    writer.newLine();
  }

  @Override
  public void snapshotState(long checkpointId) throws IOException {
    if (writer != null) {
      writer.close();
      writer = null;
      pending.add(
          checkpointId
              + "|"
              + inProgress
              + "|"
              + new Path(directory, "part-" + subtask + "-" + checkpointId));
    }
    pendingState.update(List.copyOf(pending));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws IOException {
    for (Iterator<String> it = pending.iterator(); it.hasNext(); ) {
      String[] parts = it.next().split("\\|", 3);
      if (Long.parseLong(parts[0]) <= checkpointId) {
        commit(new Path(parts[1]), new Path(parts[2]));
        it.remove();
      }
    }
  }

  /**
   * Idempotent: a file committed before a failure is not committed again. On S3 a rename is a copy
   * and a delete, so a crash between them leaves both; the target is then complete.
   */
  private void commit(Path inProgressFile, Path target) throws IOException {
    boolean pendingExists = fs.exists(inProgressFile);
    boolean targetExists = fs.exists(target);
    if (pendingExists && targetExists) {
      fs.delete(inProgressFile, false);
    } else if (pendingExists) {
      if (!fs.rename(inProgressFile, target)) {
        throw new IOException("cannot commit " + inProgressFile + " as " + target);
      }
    } else if (!targetExists) {
      LOG.atWarn().addKeyValue("file", target).log("pending output file is missing");
    }
  }

  /** The open file is uncommitted: the next restore deletes it, and S3 need not upload it. */
  @Override
  public void close() throws IOException {
    if (writer == null) {
      return;
    }
    if (stream.hasCapability(StreamCapabilities.ABORTABLE_STREAM)) {
      stream.abort();
    } else {
      writer.close();
    }
  }
}
