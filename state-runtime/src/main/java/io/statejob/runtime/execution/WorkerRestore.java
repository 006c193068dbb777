package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.api.Source;
import io.statejob.runtime.checkpoint.KeyedStateRestore;
import io.statejob.runtime.checkpoint.SubtaskSnapshotFormat;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.IncompatibleStateException;
import io.statejob.runtime.snapshot.OperatorStateSnapshot;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.OperatorStateBackend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A worker's share of the checkpoint it starts from: its splits with their positions, and for each
 * stage the key groups of its range, from whichever workers of the checkpoint held them, and its
 * operator state, redistributed when the parallelism changed.
 */
final class WorkerRestore {
  private final Optional<CompletedCheckpoint> checkpoint;
  private final int subtask;
  private final int parallelism;
  private final KeyGroupRange range;
  private final RuntimeConfig config;

  WorkerRestore(
      Optional<CompletedCheckpoint> checkpoint,
      int subtask,
      int parallelism,
      KeyGroupRange range,
      RuntimeConfig config) {
    this.checkpoint = checkpoint;
    this.subtask = subtask;
    this.parallelism = parallelism;
    this.range = range;
    this.config = config;
  }

  boolean isRestored() {
    return checkpoint.isPresent();
  }

  /**
   * Refuses a checkpoint with state of a stage the job does not have (its {@code keyBy} uid
   * changed), unless unclaimed state may be dropped.
   */
  void checkStages(List<Stage> stages) {
    if (checkpoint.isEmpty() || config.get(RuntimeOptions.ALLOW_NON_RESTORED_STATE)) {
      return;
    }
    Set<String> known = stages.stream().map(Stage::id).collect(Collectors.toSet());
    Set<String> unknown = new TreeSet<>();
    for (SubtaskState state : checkpoint.get().metadata().subtasks()) {
      boolean hasState = !state.keyedStates().isEmpty() || !state.operatorStates().isEmpty();
      if (hasState && !known.contains(state.stage())) {
        unknown.add(state.stage());
      }
    }
    if (!unknown.isEmpty()) {
      throw new IncompatibleStateException(
          "the checkpoint holds state of stages "
              + unknown
              + " that the job does not have (its stages are "
              + stages.stream().map(Stage::id).toList()
              + "; a stage is named by the uid of its keyBy); give the keyBy its old uid, or set"
              + " spec.restore.allowNonRestoredState (execution.savepoint.ignore-unclaimed-state)"
              + " to start without that state");
    }
  }

  /** The splits of this worker and where each starts. */
  SplitAssignment splitsFor(Source<?> source) throws Exception {
    return new SplitAssignment(
        source.splits(), checkpoint.map(c -> c.metadata().splits()), parallelism, subtask);
  }

  void restoreKeyedState(Stage stage, KeyedStateBackend<?> backend) throws IOException {
    if (checkpoint.isPresent()) {
      KeyedStateRestore.restore(
          checkpoint.get().metadata().stage(stage.id()), range, backend, config);
    }
  }

  /**
   * The event time {@code stage} had at the checkpoint: every worker's instance of a stage had the
   * same, as each saw every source's watermarks up to the barrier.
   */
  long watermark(Stage stage) {
    return checkpoint.stream()
        .flatMap(c -> c.metadata().stage(stage.id()).stream())
        .mapToLong(SubtaskState::watermark)
        .min()
        .orElse(Long.MIN_VALUE);
  }

  /** The operator state backend of {@code stage}, holding its restored share. */
  OperatorStateBackend operatorState(Stage stage) throws IOException {
    return new OperatorStateBackend(
        checkpoint.isPresent()
            ? operatorStatesFor(checkpoint.get().metadata().stage(stage.id()))
            : Map.of());
  }

  /** Fails when restored operator state of the stage has no function that registers it. */
  void checkClaimed(OperatorStateBackend operatorState) {
    if (!operatorState.unclaimedRestoredStates().isEmpty()
        && !config.get(RuntimeOptions.ALLOW_NON_RESTORED_STATE)) {
      throw new IncompatibleStateException(
          "the checkpoint holds operator state "
              + operatorState.unclaimedRestoredStates()
              + " that no function of the job registers; set spec.restore.allowNonRestoredState"
              + " (execution.savepoint.ignore-unclaimed-state) to start without it");
    }
  }

  /**
   * Union lists: every worker gets all elements. Split lists: each worker keeps its own at the same
   * parallelism, and the union of all lists is split evenly at another.
   */
  private Map<String, OperatorStateSnapshot> operatorStatesFor(List<SubtaskState> old)
      throws IOException {
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
