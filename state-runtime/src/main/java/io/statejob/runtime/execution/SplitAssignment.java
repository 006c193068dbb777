package io.statejob.runtime.execution;

import io.statejob.runtime.api.SourceSplit;
import io.statejob.runtime.snapshot.SourcePosition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which splits one worker reads, and from where. At a start, restore or rescale: the splits the
 * source lists and those a restored checkpoint holds, sorted by id, split {@code j} to worker
 * {@code j mod parallelism}. Every worker computes the same assignment. A split listed later
 * (discovery while the job runs) goes to the worker its id hashes to, which every worker computes
 * alike whenever it sees the split, so no split is read twice and none is skipped.
 */
final class SplitAssignment {
  private final Set<String> known = new HashSet<>();
  private final Map<SourceSplit, SourcePosition> initial = new LinkedHashMap<>();
  private final int parallelism;
  private final int subtask;

  /**
   * @param listed the source's splits now
   * @param restored the positions of a restored checkpoint, by split id; empty on a fresh start
   */
  SplitAssignment(
      Collection<SourceSplit> listed,
      Optional<Map<String, SourcePosition>> restored,
      int parallelism,
      int subtask) {
    this.parallelism = parallelism;
    this.subtask = subtask;
    TreeSet<SourceSplit> all = new TreeSet<>(listed);
    restored.ifPresent(positions -> positions.keySet().forEach(id -> all.add(new SourceSplit(id))));
    // a split the restored job had not seen yet was created after its start: read it all
    SourcePosition unread = restored.isPresent() ? SourcePosition.START : SourcePosition.INITIAL;
    List<SourceSplit> sorted = List.copyOf(all);
    for (int j = 0; j < sorted.size(); j++) {
      SourceSplit split = sorted.get(j);
      known.add(split.id());
      if (j % parallelism == subtask) {
        SourcePosition position = restored.map(p -> p.get(split.id())).orElse(null);
        initial.put(split, position != null ? position : unread);
      }
    }
  }

  /** This worker's splits at the start with their start positions, in id order. */
  Map<SourceSplit, SourcePosition> initialSplits() {
    return initial;
  }

  /**
   * The splits in {@code listed} that no assignment had yet and that this worker owns; every split
   * seen is remembered, so each is returned once. They are read from their first record, as Flink's
   * Kafka source reads partitions it discovers.
   */
  List<SourceSplit> discover(Collection<SourceSplit> listed) {
    List<SourceSplit> mine = new ArrayList<>();
    for (SourceSplit split : new TreeSet<>(listed)) {
      if (known.add(split.id()) && ownerOfDiscovered(split, parallelism) == subtask) {
        mine.add(split);
      }
    }
    return mine;
  }

  /** {@link String#hashCode} is specified, so every worker process computes the same owner. */
  static int ownerOfDiscovered(SourceSplit split, int parallelism) {
    return Math.floorMod(split.id().hashCode(), parallelism);
  }
}
