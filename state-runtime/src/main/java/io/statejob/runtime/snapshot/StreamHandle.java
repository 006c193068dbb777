package io.statejob.runtime.snapshot;

import java.util.zip.CRC32C;

/**
 * Where a snapshot stream's bytes are: inline ({@code data}, kept in the metadata or the
 * coordinator's heap) or in a file ({@code path}), with the checksum a restore verifies them by.
 *
 * @param path URI of the file, or null when inline
 * @param data the bytes when inline, else null
 * @param size number of bytes
 * @param crc32c CRC32C of all the bytes; null in checkpoints written before checksums (format 3),
 *     whose bytes cannot be verified
 */
public record StreamHandle(String path, byte[] data, long size, Long crc32c) {
  public static StreamHandle inline(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return new StreamHandle(null, data, data.length, crc.getValue());
  }

  public static StreamHandle file(String path, long size, long crc32c) {
    return new StreamHandle(path, null, size, crc32c);
  }

  public boolean isInline() {
    return path == null;
  }

  /** What a message about these bytes names: the file, or that they are inline. */
  public String describe() {
    return isInline() ? "inline state" : path;
  }
}
