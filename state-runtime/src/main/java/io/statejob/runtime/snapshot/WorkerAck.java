package io.statejob.runtime.snapshot;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A worker's acknowledgement of a checkpoint, sent once every stage of the worker has taken its
 * snapshot.
 *
 * @param subtask the worker's index
 * @param stages the state of each of its stages that has state
 * @param splits the position of each source split it reads, by split id
 * @param alignmentMillis the longest one of its stages waited for the barrier from every worker
 */
public record WorkerAck(
    int subtask,
    List<SubtaskState> stages,
    Map<String, SourcePosition> splits,
    long alignmentMillis) {
  public WorkerAck {
    stages = List.copyOf(stages);
    splits = Collections.unmodifiableMap(new TreeMap<>(splits));
  }
}
