package io.statejob.runtime.snapshot;

import io.statejob.runtime.keygroup.KeyGroupRange;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One stage's state on one worker in a checkpoint. The stream holds, for each key group of the
 * range in order, the state blocks, then the operator state; offsets let a restore read just the
 * key groups it needs.
 *
 * @param subtask the worker's index
 * @param stage the stage's id ({@code source} or the uid of the {@code keyBy} that starts it)
 * @param watermark the stage's event time at the checkpoint: a restored stage judges late records
 *     from it until its inputs' watermarks arrive
 * @param startKeyGroup first key group of its range
 * @param endKeyGroup last key group of its range (inclusive)
 * @param keyGroupOffsets stream offset of each key group's section, in range order
 * @param operatorStateOffset stream offset of the operator state section
 * @param keyGroupChecksums CRC32C of each key group's section, in range order; empty in checkpoints
 *     written before checksums
 * @param operatorStateChecksum CRC32C of the operator state section, or null before checksums
 * @param stream the bytes
 * @param keyedStates the keyed states the blocks refer to by index
 * @param operatorStates names of the operator states in the stream
 * @param stateSizes bytes per state name, for limits and inspection
 * @param incremental the RocksDB files of an incremental snapshot; empty when the stream holds the
 *     keyed state
 */
public record SubtaskState(
    int subtask,
    String stage,
    long watermark,
    int startKeyGroup,
    int endKeyGroup,
    List<Long> keyGroupOffsets,
    long operatorStateOffset,
    List<Long> keyGroupChecksums,
    Long operatorStateChecksum,
    StreamHandle stream,
    List<StateMeta> keyedStates,
    List<String> operatorStates,
    Map<String, Long> stateSizes,
    Optional<IncrementalHandle> incremental) {

  public SubtaskState {
    keyGroupOffsets = List.copyOf(keyGroupOffsets);
    keyGroupChecksums = keyGroupChecksums == null ? List.of() : List.copyOf(keyGroupChecksums);
    // the codec may hand over null for a missing field
    incremental = incremental == null ? Optional.empty() : incremental;
  }

  /** Bytes of state this acknowledgement refers to, shared files included. */
  public long stateSize() {
    return stream.size() + incremental.map(IncrementalHandle::totalBytes).orElse(0L);
  }

  /** Bytes written for this checkpoint: the stream and newly uploaded files. */
  public long uploadedSize() {
    return stream.size() + incremental.map(IncrementalHandle::uploadedBytes).orElse(0L);
  }

  public KeyGroupRange keyGroupRange() {
    return new KeyGroupRange(startKeyGroup, endKeyGroup);
  }

  /** The stream offset of {@code keyGroup}'s section; the key group is in this range. */
  public long keyGroupOffset(int keyGroup) {
    return keyGroupOffsets.get(keyGroup - startKeyGroup);
  }

  /** The length of {@code keyGroup}'s section: up to the next one or the operator state. */
  public long keyGroupLength(int keyGroup) {
    long end = keyGroup == endKeyGroup ? operatorStateOffset : keyGroupOffset(keyGroup + 1);
    return end - keyGroupOffset(keyGroup);
  }

  /** The recorded checksum of {@code keyGroup}'s section, or null when none was recorded. */
  public Long keyGroupChecksum(int keyGroup) {
    return keyGroupChecksums.isEmpty() ? null : keyGroupChecksums.get(keyGroup - startKeyGroup);
  }

  public long operatorStateLength() {
    return stream.size() - operatorStateOffset;
  }
}
