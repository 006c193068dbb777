package io.statejob.runtime.checkpoint;

import io.statejob.runtime.state.StateMeta;
import java.util.List;
import java.util.Map;

/**
 * One worker's part of a checkpoint: its acknowledgement. The stream holds, for each key group of
 * the range in order, the source offset and the state blocks, then the operator state; offsets let
 * a restore read just the key groups it needs.
 *
 * @param subtask the worker's index
 * @param startKeyGroup first key group of its range
 * @param endKeyGroup last key group of its range (inclusive)
 * @param keyGroupOffsets stream offset of each key group's section, in range order
 * @param operatorStateOffset stream offset of the operator state section
 * @param stream the bytes
 * @param keyedStates the keyed states the blocks refer to by index
 * @param operatorStates names of the operator states in the stream
 * @param stateSizes bytes per state name, for limits and inspection
 */
public record SubtaskState(
    int subtask,
    int startKeyGroup,
    int endKeyGroup,
    long[] keyGroupOffsets,
    long operatorStateOffset,
    StreamHandle stream,
    List<StateMeta> keyedStates,
    List<String> operatorStates,
    Map<String, Long> stateSizes) {

  public io.statejob.runtime.keygroup.KeyGroupRange keyGroupRange() {
    return new io.statejob.runtime.keygroup.KeyGroupRange(startKeyGroup, endKeyGroup);
  }
}
