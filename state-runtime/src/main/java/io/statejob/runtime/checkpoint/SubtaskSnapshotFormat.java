package io.statejob.runtime.checkpoint;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.VarInts;
import io.statejob.runtime.snapshot.IncrementalHandle;
import io.statejob.runtime.snapshot.KeyGroupBlockConsumer;
import io.statejob.runtime.snapshot.OperatorStateSnapshot;
import io.statejob.runtime.snapshot.SourcePosition;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.snapshot.StreamHandle;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.storage.CheckpointOutputStream;
import io.statejob.runtime.storage.CheckpointStorage;
import io.statejob.runtime.storage.StreamHandles;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The layout of one worker's snapshot stream. For each key group of the range, in order: the source
 * position (offset, max timestamp), then {@code (stateIndex+1, length, block)*}, then 0. After the
 * key groups: the operator states. Key-group sections are what a restore at another parallelism
 * reads selectively.
 */
public final class SubtaskSnapshotFormat {
  private SubtaskSnapshotFormat() {}

  /**
   * Writes a worker's snapshot to {@code storage} and returns the acknowledgement describing it.
   */
  public static SubtaskState write(
      CheckpointStorage storage,
      long checkpointId,
      int subtask,
      KeyGroupRange range,
      SourcePosition[] positions,
      KeyedStateSnapshot keyed,
      List<OperatorStateSnapshot> operatorStates)
      throws IOException {
    Optional<IncrementalHandle> files = keyed.uploadFiles(storage, checkpointId, subtask);
    CheckpointOutputStream stream = storage.createStream(checkpointId, subtask);
    try {
      return write(stream, subtask, range, positions, keyed, operatorStates, files);
    } catch (IOException | RuntimeException e) {
      stream.discard();
      throw e;
    }
  }

  private static SubtaskState write(
      CheckpointOutputStream stream,
      int subtask,
      KeyGroupRange range,
      SourcePosition[] positions,
      KeyedStateSnapshot keyed,
      List<OperatorStateSnapshot> operatorStates,
      Optional<IncrementalHandle> files)
      throws IOException {
    DataOutputStream out = new DataOutputStream(stream);
    List<StateMeta> states = keyed.states();
    long[] sizes = new long[states.size()];
    List<Long> offsets = new ArrayList<>(range.size());
    DataOutputBuffer block = new DataOutputBuffer(4096);
    for (int i = 0; i < range.size(); i++) {
      int keyGroup = range.start() + i;
      offsets.add(stream.position());
      VarInts.writeLong(out, positions[i].offset());
      writeTimestamp(out, positions[i].maxTimestamp());
      for (int s = 0; s < states.size(); s++) {
        block.reset();
        if (keyed.writeBlock(s, keyGroup, block)) {
          VarInts.write(out, s + 1);
          VarInts.write(out, block.length());
          out.write(block.array(), 0, block.length());
          sizes[s] += block.length();
        }
      }
      VarInts.write(out, 0);
    }
    long operatorOffset = stream.position();
    Map<String, Long> stateSizes = new TreeMap<>();
    for (int s = 0; s < states.size(); s++) {
      stateSizes.put(states.get(s).name(), sizes[s]);
    }
    VarInts.write(out, operatorStates.size());
    List<String> operatorNames = new ArrayList<>();
    for (OperatorStateSnapshot state : operatorStates) {
      long start = stream.position();
      out.writeUTF(state.name());
      out.writeByte(state.mode().ordinal());
      out.writeUTF(state.serializerId());
      VarInts.write(out, state.elements().size());
      for (byte[] element : state.elements()) {
        VarInts.write(out, element.length);
        out.write(element);
      }
      operatorNames.add(state.name());
      stateSizes.put(state.name(), stream.position() - start);
    }
    out.flush();
    StreamHandle handle = stream.closeAndGetHandle();
    return new SubtaskState(
        subtask,
        range.start(),
        range.end(),
        offsets,
        operatorOffset,
        handle,
        states,
        operatorNames,
        stateSizes,
        files);
  }

  /** 0 for none, else the zigzag form + 1: one byte per key group without event time. */
  private static void writeTimestamp(DataOutputStream out, long timestamp) throws IOException {
    VarInts.writeLong(
        out, timestamp == Long.MIN_VALUE ? 0 : ((timestamp << 1) ^ (timestamp >> 63)) + 1);
  }

  private static long readTimestamp(DataInputStream in) throws IOException {
    long encoded = VarInts.readLong(in);
    if (encoded == 0) {
      return Long.MIN_VALUE;
    }
    long zigzag = encoded - 1;
    return (zigzag >>> 1) ^ -(zigzag & 1);
  }

  /** Receives the source position a key-group section starts with. */
  @FunctionalInterface
  public interface SourcePositionConsumer {
    void accept(int keyGroup, SourcePosition position) throws IOException;
  }

  /**
   * Reads the sections of the key groups of {@code wanted} that {@code state} holds: each one's
   * source position, then its blocks.
   */
  public static void readKeyGroups(
      SubtaskState state,
      KeyGroupRange wanted,
      RuntimeConfig config,
      SourcePositionConsumer positions,
      KeyGroupBlockConsumer blocks)
      throws IOException {
    KeyGroupRange range = state.keyGroupRange().intersect(wanted);
    if (range.size() == 0) {
      return;
    }
    long offset = state.keyGroupOffset(range.start());
    try (InputStream stream = StreamHandles.open(state.stream(), offset, config)) {
      DataInputStream in = new DataInputStream(stream);
      for (int keyGroup = range.start(); keyGroup <= range.end(); keyGroup++) {
        positions.accept(keyGroup, new SourcePosition(VarInts.readLong(in), readTimestamp(in)));
        for (int index = VarInts.read(in); index != 0; index = VarInts.read(in)) {
          byte[] block = new byte[VarInts.read(in)];
          in.readFully(block);
          blocks.accept(state.keyedStates().get(index - 1), keyGroup, block);
        }
      }
    }
  }

  /** Reads the operator state section. */
  public static List<OperatorStateSnapshot> readOperatorStates(
      SubtaskState state, RuntimeConfig config) throws IOException {
    List<OperatorStateSnapshot> result = new ArrayList<>();
    try (InputStream stream =
        StreamHandles.open(state.stream(), state.operatorStateOffset(), config)) {
      DataInputStream in = new DataInputStream(stream);
      int count = VarInts.read(in);
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        OperatorStateSnapshot.Mode mode = OperatorStateSnapshot.Mode.values()[in.readByte()];
        String serializer = in.readUTF();
        int n = VarInts.read(in);
        List<byte[]> elements = new ArrayList<>(n);
        for (int j = 0; j < n; j++) {
          byte[] element = new byte[VarInts.read(in)];
          in.readFully(element);
          elements.add(element);
        }
        result.add(new OperatorStateSnapshot(name, mode, serializer, elements));
      }
    }
    return result;
  }
}
