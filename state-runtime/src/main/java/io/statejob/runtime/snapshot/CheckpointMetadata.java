package io.statejob.runtime.snapshot;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a restore needs: stored as {@code chk-<n>/_metadata}, whose presence marks the
 * checkpoint complete.
 *
 * @param jobId the job's stable id
 * @param checkpointId the checkpoint number
 * @param triggeredAt trigger time, epoch millis
 * @param completedAt completion time, epoch millis
 * @param backend the state backend's name
 * @param maxParallelism number of key groups
 * @param parallelism number of workers
 * @param subtasks the state of every stage on every worker, by subtask index then stage
 * @param splits the position of every source split, by split id
 * @param finalCheckpoint taken after every bounded source ended
 * @param type checkpoint or savepoint; checkpoints written before savepoints existed have none
 * @param alignmentMillis the longest a stage waited for the barrier from every worker
 */
public record CheckpointMetadata(
    String jobId,
    long checkpointId,
    long triggeredAt,
    long completedAt,
    String backend,
    int maxParallelism,
    int parallelism,
    List<SubtaskState> subtasks,
    Map<String, SourcePosition> splits,
    boolean finalCheckpoint,
    SnapshotType type,
    long alignmentMillis) {

  public CheckpointMetadata {
    type = type == null ? SnapshotType.CHECKPOINT : type;
    subtasks = List.copyOf(subtasks);
    splits = Collections.unmodifiableMap(new TreeMap<>(splits));
  }

  /** The states of stage {@code stage}, one per worker. */
  public List<SubtaskState> stage(String stage) {
    return subtasks.stream().filter(s -> s.stage().equals(stage)).toList();
  }

  public long stateSize() {
    return subtasks.stream().mapToLong(SubtaskState::stateSize).sum();
  }

  public long uploadedSize() {
    return subtasks.stream().mapToLong(SubtaskState::uploadedSize).sum();
  }

  /** Every stream the snapshot's state is in, inline, own and shared: what a restore reads. */
  public List<StreamHandle> handles() {
    List<StreamHandle> handles = new ArrayList<>();
    for (SubtaskState subtask : subtasks) {
      handles.add(subtask.stream());
      subtask
          .incremental()
          .ifPresent(
              files -> {
                handles.addAll(files.sharedFiles().values());
                handles.addAll(files.privateFiles().values());
              });
    }
    return handles;
  }

  /** The paths of the files among {@link #handles}. */
  public Set<String> files() {
    Set<String> files = new TreeSet<>();
    handles().stream().filter(h -> !h.isInline()).forEach(h -> files.add(h.path()));
    return files;
  }

  public boolean isIncremental() {
    return subtasks.stream().anyMatch(s -> s.incremental().isPresent());
  }
}
