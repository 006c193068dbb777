package io.statejob.runtime.snapshot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The binary form of {@code _metadata} and of acknowledgements: {@code "SJCK" version length
 * CBOR(body) crc32c}. The checksum and length make a truncated or damaged file detectable, so a
 * restore never uses it.
 */
public final class MetadataCodec {
  private static final int MAGIC = 0x534A434B; // "SJCK"

  /**
   * 4: a checksum of every file and of every section of a subtask's stream. 3: one state per stage
   * and worker, and one position per source split (version 2 had one source position per key group,
   * written by workers that each read the whole source).
   */
  public static final int VERSION = 4;

  /** Version 3 is read too: it lacks only the checksums, so its files are not verified. */
  private static final int OLDEST_READABLE = 3;

  private static final int HEADER = 12;
  private static final ObjectMapper CBOR =
      CBORMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // an empty Optional is written as null, as absent values always were
          .addModule(new Jdk8Module())
          .build();

  private MetadataCodec() {}

  public static byte[] encode(CheckpointMetadata metadata) throws IOException {
    return frame(CBOR.writeValueAsBytes(metadata));
  }

  public static CheckpointMetadata decode(byte[] bytes)
      throws CorruptCheckpointException, UnsupportedCheckpointFormatException {
    return decodeBody(unframe(bytes), CheckpointMetadata.class);
  }

  /** An acknowledgement as it travels from a worker to the coordinator. */
  public static byte[] encodeAck(WorkerAck ack) throws IOException {
    return frame(CBOR.writeValueAsBytes(ack));
  }

  public static WorkerAck decodeAck(byte[] bytes)
      throws CorruptCheckpointException, UnsupportedCheckpointFormatException {
    return decodeBody(unframe(bytes), WorkerAck.class);
  }

  private static byte[] frame(byte[] body) throws IOException {
    CRC32C crc = new CRC32C();
    crc.update(body);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length + HEADER + 4);
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeInt(body.length);
    out.write(body);
    out.writeInt((int) crc.getValue());
    return bytes.toByteArray();
  }

  private static ByteBuffer unframe(byte[] bytes)
      throws CorruptCheckpointException, UnsupportedCheckpointFormatException {
    if (bytes.length < HEADER + 4) {
      throw new CorruptCheckpointException("metadata is truncated (" + bytes.length + " bytes)");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    if (buffer.getInt() != MAGIC) {
      throw new CorruptCheckpointException("not a StateJob checkpoint (bad magic header)");
    }
    int version = buffer.getInt();
    if (version < OLDEST_READABLE || version > VERSION) {
      throw new UnsupportedCheckpointFormatException(
          "metadata format version "
              + version
              + " is not supported: this runtime reads versions "
              + OLDEST_READABLE
              + " to "
              + VERSION
              + (version < OLDEST_READABLE
                  ? " (version 2 was written before sources had splits; restore it with the"
                      + " runtime that wrote it, or start the job without it)"
                  : ""));
    }
    int length = buffer.getInt();
    if (length < 0 || length != bytes.length - HEADER - 4) {
      throw new CorruptCheckpointException(
          "metadata is truncated: header says "
              + length
              + " bytes, file has "
              + (bytes.length - HEADER - 4));
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, HEADER, length);
    if ((int) crc.getValue() != ByteBuffer.wrap(bytes, HEADER + length, 4).getInt()) {
      throw new CorruptCheckpointException("metadata checksum mismatch: the file is damaged");
    }
    return ByteBuffer.wrap(bytes, HEADER, length);
  }

  private static <T> T decodeBody(ByteBuffer body, Class<T> type)
      throws CorruptCheckpointException {
    try {
      return CBOR.readValue(
          body.array(), body.arrayOffset() + body.position(), body.remaining(), type);
    } catch (IOException e) {
      throw new CorruptCheckpointException("metadata cannot be decoded: " + e.getMessage(), e);
    }
  }
}
