package io.statejob.runtime.serialization;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A reusable, growable in-memory {@link java.io.DataOutput}. {@link #reset()} keeps the buffer, so
 * hot paths serialize without allocating.
 */
public final class DataOutputBuffer extends DataOutputStream {
  /** The largest array a JVM allocates: also the limit of one RocksDB value read into Java. */
  public static final int MAX_LENGTH = Integer.MAX_VALUE - 8;

  public DataOutputBuffer(int initialCapacity) {
    super(new Bytes(initialCapacity));
  }

  public void reset() {
    bytes().count = 0;
    written = 0;
  }

  /** The backing array; valid bytes are {@code [0, length())}. */
  public byte[] array() {
    return bytes().buf;
  }

  public int length() {
    return bytes().count;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(bytes().buf, bytes().count);
  }

  private Bytes bytes() {
    return (Bytes) out;
  }

  /** An unsynchronized ByteArrayOutputStream. */
  private static final class Bytes extends OutputStream {
    private byte[] buf;
    private int count;

    Bytes(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int extra) {
      long needed = (long) count + extra;
      if (needed > MAX_LENGTH) {
        throw new IllegalStateException(
            "a serialized value would be "
                + needed
                + " bytes, over the "
                + MAX_LENGTH
                + "-byte limit of a Java array");
      }
      if (needed > buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(MAX_LENGTH, Math.max(2L * buf.length, needed)));
      }
    }

    @Override
    public void write(int b) {
      ensure(1);
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {}
  }
}
