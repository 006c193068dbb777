package io.statejob.runtime.serialization;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;

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
    return ((Bytes) in).position();
  }

  private static final class Bytes extends ByteArrayInputStream {
    Bytes() {
      super(new byte[0]);
    }

    void reset(byte[] data, int offset, int length) {
      this.buf = data;
      this.pos = offset;
      this.count = offset + length;
      this.mark = offset;
    }

    int position() {
      return pos;
    }
  }
}
