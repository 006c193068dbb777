package io.statejob.runtime.serialization;

import java.io.DataInputStream;
import java.io.InputStream;

/** A reusable {@link java.io.DataInput} over a byte array range; {@link #reset} rebinds it. */
public final class DataInputBuffer extends DataInputStream {
  public DataInputBuffer() {
    super(new Bytes());
  }

  public DataInputBuffer reset(byte[] data, int offset, int length) {
    ((Bytes) in).reset(data, offset, length);
    return this;
  }

  /** Offset of the next byte in the array. */
  public int position() {
    return ((Bytes) in).position;
  }

  /**
   * An array cursor: {@code ByteArrayInputStream} would take a lock on every read of every value a
   * state deserializes.
   */
  private static final class Bytes extends InputStream {
    private byte[] data = new byte[0];
    private int position;
    private int end;

    void reset(byte[] data, int offset, int length) {
      this.data = data;
      this.position = offset;
      this.end = offset + length;
    }

    @Override
    public int read() {
      return position < end ? data[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
      if (length == 0) {
        return 0;
      }
      int count = Math.min(length, end - position);
      if (count <= 0) {
        return -1;
      }
      System.arraycopy(data, position, into, offset, count);
      position += count;
      return count;
    }

    @Override
    public long skip(long count) {
      int skipped = (int) Math.max(0, Math.min(count, end - position));
      position += skipped;
      return skipped;
    }

    @Override
    public int available() {
      return end - position;
    }
  }
}
