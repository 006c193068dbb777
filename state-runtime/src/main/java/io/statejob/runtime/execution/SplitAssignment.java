package io.statejob.runtime.execution;

import io.statejob.runtime.api.SourceSplit;
import io.statejob.runtime.snapshot.SourcePosition;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which splits each worker reads, and from where: the splits the source lists now and those a
 * restored checkpoint holds, sorted by id, split {@code j} to worker {@code j mod parallelism}.
 * Every worker computes the same assignment, at every start, restore and rescale.
 */
final class SplitAssignment {
  private SplitAssignment() {}

  /**
   * @param listed the source's splits now
   * @param restored the positions of a restored checkpoint, by split id; empty on a fresh start
   * @return the splits of worker {@code subtask} with their start positions, in id order
   */
  static Map<SourceSplit, SourcePosition> forWorker(
      Collection<SourceSplit> listed,
      Map<String, SourcePosition> restored,
      int parallelism,
      int subtask) {
    TreeSet<SourceSplit> all = new TreeSet<>(listed);
    restored.keySet().forEach(id -> all.add(new SourceSplit(id)));
    List<SourceSplit> sorted = List.copyOf(all);
    Map<SourceSplit, SourcePosition> mine = new LinkedHashMap<>();
    for (int j = subtask; j < sorted.size(); j += parallelism) {
      SourceSplit split = sorted.get(j);
      mine.put(split, restored.getOrDefault(split.id(), SourcePosition.START));
    }
    return mine;
  }
}
