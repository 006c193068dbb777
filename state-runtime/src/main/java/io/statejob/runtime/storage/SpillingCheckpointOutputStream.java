package io.statejob.runtime.storage;

import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.snapshot.StreamHandle;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * Buffers a snapshot in memory and moves it to a file once it outgrows a threshold: small state
 * stays inline in the metadata, large state goes to storage without a second copy in memory. The
 * checksum is taken as the bytes pass, so the handle carries it without a second read.
 */
final class SpillingCheckpointOutputStream extends CheckpointOutputStream {
  /** Opens the file a stream spills to. */
  interface FileTarget {
    OutputStream create() throws IOException;

    String path();

    void delete();
  }

  private final long threshold;
  private final FileTarget target;
  private final DataOutputBuffer buffer = new DataOutputBuffer(4096);
  private final CRC32C crc = new CRC32C();
  private OutputStream file;
  private long position;

  /**
   * @param threshold largest inline size; beyond it the stream spills to {@code target}; negative
   *     to write to the file from the first byte
   * @param target the file, or null to stay inline whatever the size
   */
  SpillingCheckpointOutputStream(long threshold, FileTarget target) {
    this.threshold = threshold;
    this.target = target;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (file == null && target != null && buffer.length() + len > threshold) {
      file = target.create();
      file.write(buffer.array(), 0, buffer.length());
      buffer.reset();
    }
    if (file != null) {
      FileChunks.write(file, b, off, len);
    } else {
      buffer.write(b, off, len);
    }
    crc.update(b, off, len);
    position += len;
  }

  @Override
  public long position() {
    return position;
  }

  @Override
  public StreamHandle closeAndGetHandle() throws IOException {
    if (file == null && threshold < 0) {
      file = target.create();
    }
    if (file == null) {
      return new StreamHandle(null, buffer.toByteArray(), position, crc.getValue());
    }
    file.close();
    return StreamHandle.file(target.path(), position, crc.getValue());
  }

  @Override
  public void discard() {
    if (file != null) {
      try {
        file.close();
      } catch (IOException ignored) {
        // the file is deleted next; a close failure changes nothing
      }
      target.delete();
    }
  }
}
