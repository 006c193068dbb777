package io.statejob.runtime.checkpoint;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.VarInts;
import io.statejob.runtime.snapshot.DamagedSnapshotException;
import io.statejob.runtime.snapshot.IncrementalHandle;
import io.statejob.runtime.snapshot.KeyGroupBlockConsumer;
import io.statejob.runtime.snapshot.OperatorStateSnapshot;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.snapshot.StreamHandle;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.storage.CheckpointOutputStream;
import io.statejob.runtime.storage.CheckpointStorage;
import io.statejob.runtime.storage.Checksums;
import io.statejob.runtime.storage.StreamHandles;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The layout of the snapshot stream of one stage on one worker. For each key group of the range, in
 * order: {@code (stateIndex+1, length, block)*}, then 0. After the key groups: the operator states.
 * Key-group sections are what a restore at another parallelism reads selectively, so each section
 * has its own checksum: a restore verifies every byte it reads before it uses it, whichever part of
 * the stream it reads.
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
    SectionChecksums sections = new SectionChecksums(stream);
    DataOutputStream out = new DataOutputStream(sections);
    List<StateMeta> states = keyed.states();
    long[] sizes = new long[states.size()];
    List<Long> offsets = new ArrayList<>(range.size());
    List<Long> checksums = new ArrayList<>(range.size());
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
      checksums.add(sections.endSection());
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
    long operatorChecksum = sections.endSection();
    StreamHandle handle = stream.closeAndGetHandle();
    return new SubtaskState(
        subtask,
        stage,
        watermark,
        range.start(),
        range.end(),
        offsets,
        operatorOffset,
        checksums,
        operatorChecksum,
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
      for (int keyGroup = range.start(); keyGroup <= range.end(); keyGroup++) {
        DataInputStream in =
            readSection(
                stream,
                state.stream(),
                state.keyGroupLength(keyGroup),
                state.keyGroupChecksum(keyGroup),
                "key group " + keyGroup);
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
      DataInputStream in =
          readSection(
              stream,
              state.stream(),
              state.operatorStateLength(),
              state.operatorStateChecksum(),
              "the operator state");
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

  /**
   * Reads one section whole and verifies it before anything parses it, so damaged bytes never reach
   * the state.
   */
  private static DataInputStream readSection(
      InputStream stream, StreamHandle handle, long length, Long checksum, String section)
      throws IOException {
    byte[] bytes = new byte[Math.toIntExact(length)];
    int read = stream.readNBytes(bytes, 0, bytes.length);
    if (read < bytes.length) {
      throw new DamagedSnapshotException(
          handle.describe(),
          "the file ends inside " + section + " (" + read + " of " + length + " bytes)");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes);
    Checksums.verify(handle.describe(), checksum, crc.getValue(), section);
    return new DataInputStream(new ByteArrayInputStream(bytes));
  }

  /** Passes bytes on and checksums them a section at a time. */
  private static final class SectionChecksums extends FilterOutputStream {
    private final CRC32C crc = new CRC32C();

    SectionChecksums(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      crc.update(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      crc.update(b, off, len);
    }

    /** The checksum of the bytes since the previous call. */
    long endSection() {
      long value = crc.getValue();
      crc.reset();
      return value;
    }
  }
}
