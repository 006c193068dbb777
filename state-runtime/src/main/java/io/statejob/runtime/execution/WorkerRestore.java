package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.checkpoint.KeyedStateRestore;
import io.statejob.runtime.checkpoint.SubtaskSnapshotFormat;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.OperatorStateSnapshot;
import io.statejob.runtime.snapshot.SourcePosition;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.KeyedStateBackend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A worker's share of a checkpoint: the key groups of its range, from whichever workers of the
 * checkpoint held them, and its operator state, redistributed when the parallelism changed.
 *
 * @param resumePositions per key group of the range: the source position to resume from
 * @param operatorStates this worker's operator state by scoped name
 */
record WorkerRestore(
    SourcePosition[] resumePositions, Map<String, OperatorStateSnapshot> operatorStates) {

  static WorkerRestore empty(KeyGroupRange range) {
    SourcePosition[] start = new SourcePosition[range.size()];
    java.util.Arrays.fill(start, SourcePosition.START);
    return new WorkerRestore(start, Map.of());
  }

  static WorkerRestore load(
      CompletedCheckpoint checkpoint,
      int subtask,
      int parallelism,
      KeyGroupRange range,
      KeyedStateBackend<?> keyedState,
      RuntimeConfig config)
      throws IOException {
    SourcePosition[] positions =
        KeyedStateRestore.restore(checkpoint.metadata().subtasks(), range, keyedState, config);
    return new WorkerRestore(
        positions, operatorStatesFor(checkpoint, subtask, parallelism, config));
  }

  /**
   * Union lists: every worker gets all elements. Split lists: each worker keeps its own at the same
   * parallelism, and the union of all lists is split evenly at another.
   */
  private static Map<String, OperatorStateSnapshot> operatorStatesFor(
      CompletedCheckpoint checkpoint, int subtask, int parallelism, RuntimeConfig config)
      throws IOException {
    List<SubtaskState> old = checkpoint.metadata().subtasks();
    boolean sameParallelism = old.size() == parallelism;
    Map<String, List<byte[]>> elements = new LinkedHashMap<>();
    Map<String, OperatorStateSnapshot> described = new LinkedHashMap<>();
    for (SubtaskState state : old) {
      for (OperatorStateSnapshot s : SubtaskSnapshotFormat.readOperatorStates(state, config)) {
        described.putIfAbsent(s.name(), s);
        boolean keep =
            s.mode() == OperatorStateSnapshot.Mode.UNION
                || !sameParallelism
                || state.subtask() == subtask;
        if (keep) {
          elements.computeIfAbsent(s.name(), n -> new ArrayList<>()).addAll(s.elements());
        }
      }
    }
    Map<String, OperatorStateSnapshot> result = new LinkedHashMap<>();
    described.forEach(
        (name, first) -> {
          List<byte[]> all = elements.getOrDefault(name, List.of());
          List<byte[]> mine =
              first.mode() == OperatorStateSnapshot.Mode.SPLIT && !sameParallelism
                  ? all.subList(
                      (int) ((long) subtask * all.size() / parallelism),
                      (int) ((long) (subtask + 1) * all.size() / parallelism))
                  : all;
          result.put(
              name,
              new OperatorStateSnapshot(
                  name, first.mode(), first.serializerId(), List.copyOf(mine)));
        });
    return result;
  }
}
