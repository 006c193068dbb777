package io.statejob.runtime.connector;

import io.statejob.runtime.api.CheckpointListener;
import io.statejob.runtime.api.CheckpointedFunction;
import io.statejob.runtime.api.Sink;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.serialization.Serializers;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records as lines, exactly once, as Flink's FileSink does. Records go to an in-progress
 * file under {@code <dir>/.inprogress/}; at a checkpoint the file is closed and becomes pending;
 * when that checkpoint completes it is renamed to {@code <dir>/part-<subtask>-<checkpoint>}. A
 * restore commits the files of the restored checkpoint and deletes in-progress files of failed
 * attempts, so committed output holds every record once.
 */
public final class FileSink<T> implements Sink<T>, CheckpointedFunction, CheckpointListener {
  private static final Logger LOG = LoggerFactory.getLogger(FileSink.class);
  private static final String IN_PROGRESS = ".inprogress";

  private final Path directory;
  private int subtask;
  private ListState<String> pendingState;

  /** Closed files waiting for their checkpoint: "checkpointId|in-progress path|final path". */
  private final List<String> pending = new ArrayList<>();

  private BufferedWriter writer;
  private Path inProgress;

  public FileSink(Path directory) {
    this.directory = directory.toAbsolutePath();
  }

  @Override
  public void initializeState(InitializationContext context) throws IOException {
    subtask = context.subtaskIndex();
    Files.createDirectories(directory.resolve(IN_PROGRESS));
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
        commit(Path.of(parts[1]), Path.of(parts[2]));
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
    try (Stream<Path> files = Files.list(directory.resolve(IN_PROGRESS))) {
      for (Path file : files.toList()) {
        int owner = ownerOf(file);
        boolean mine = owner == subtask || (subtask == 0 && owner >= parallelism);
        if (mine && !restored.contains(file.toString())) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private static int ownerOf(Path inProgressFile) {
    String name = inProgressFile.getFileName().toString(); // part-<subtask>-<attempt>-<n>
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
          directory
              .resolve(IN_PROGRESS)
              .resolve("part-" + subtask + "-" + UUID.randomUUID().toString().substring(0, 8));
      writer = Files.newBufferedWriter(inProgress, StandardCharsets.UTF_8);
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
              + directory.resolve("part-" + subtask + "-" + checkpointId));
    }
    pendingState.update(List.copyOf(pending));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) throws IOException {
    for (Iterator<String> it = pending.iterator(); it.hasNext(); ) {
      String[] parts = it.next().split("\\|", 3);
      if (Long.parseLong(parts[0]) <= checkpointId) {
        commit(Path.of(parts[1]), Path.of(parts[2]));
        it.remove();
      }
    }
  }

  /** Idempotent: a file committed before a failure is not committed again. */
  private static void commit(Path inProgressFile, Path target) throws IOException {
    if (Files.exists(inProgressFile)) {
      Files.move(inProgressFile, target, StandardCopyOption.ATOMIC_MOVE);
    } else if (!Files.exists(target)) {
      LOG.atWarn().addKeyValue("file", target).log("pending output file is missing");
    }
  }

  @Override
  public void close() throws IOException {
    if (writer != null) {
      writer.close(); // uncommitted: deleted by the next restore
    }
  }
}
