package io.statejob.runtime.serialization;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/** Unsigned LEB128 var-ints: small lengths and offsets take one or two bytes, not four or eight. */
public final class VarInts {
  private VarInts() {}

  public static void write(DataOutput out, int value) throws IOException {
    while ((value & ~0x7F) != 0) {
      out.writeByte((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.writeByte(value);
  }

  public static int read(DataInput in) throws IOException {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      byte b = in.readByte();
      result |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IOException("malformed var-int");
  }

  /** A non-negative long in 1 to 10 bytes. */
  public static void writeLong(DataOutput out, long value) throws IOException {
    while ((value & ~0x7FL) != 0) {
      out.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.writeByte((int) value);
  }

  public static long readLong(DataInput in) throws IOException {
    long result = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      byte b = in.readByte();
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IOException("malformed var-long");
  }
}
