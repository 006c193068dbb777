package io.statejob.runtime.checkpoint;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.VarInts;
import io.statejob.runtime.snapshot.IncrementalHandle;
import io.statejob.runtime.snapshot.KeyGroupBlockConsumer;
import io.statejob.runtime.snapshot.OperatorStateSnapshot;
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
 * The layout of the snapshot stream of one stage on one worker. For each key group of the range, in
 * order: {@code (stateIndex+1, length, block)*}, then 0. After the key groups: the operator states.
 * Key-group sections are what a restore at another parallelism reads selectively.
 */
public final class SubtaskSnapshotFormat {
  private SubtaskSnapshotFormat() {}

  /** Writes a stage's snapshot to {@code storage} and returns the state describing it. */
  public static SubtaskState write(
      CheckpointStorage storage,
      long checkpointId,
      int subtask,
      String stage,
      long watermark,
      KeyGroupRange range,
      KeyedStateSnapshot keyed,
      List<OperatorStateSnapshot> operatorStates)
      throws IOException {
    Optional<IncrementalHandle> files =
        keyed.uploadFiles(storage, checkpointId, subtask, "s" + subtask + "-" + stage);
    CheckpointOutputStream stream = storage.createStream(checkpointId, subtask);
    try {
      return write(stream, subtask, stage, watermark, range, keyed, operatorStates, files);
    } catch (IOException | RuntimeException e) {
      stream.discard();
      throw e;
    }
  }

  private static SubtaskState write(
      CheckpointOutputStream stream,
      int subtask,
      String stage,
      long watermark,
      KeyGroupRange range,
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
        stage,
        watermark,
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

  /** Reads the blocks of the key groups of {@code wanted} that {@code state} holds. */
  public static void readKeyGroups(
      SubtaskState state, KeyGroupRange wanted, RuntimeConfig config, KeyGroupBlockConsumer blocks)
      throws IOException {
    KeyGroupRange range = state.keyGroupRange().intersect(wanted);
    if (range.size() == 0) {
      return;
    }
    long offset = state.keyGroupOffset(range.start());
    try (InputStream stream = StreamHandles.open(state.stream(), offset, config)) {
      DataInputStream in = new DataInputStream(stream);
      for (int keyGroup = range.start(); keyGroup <= range.end(); keyGroup++) {
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
