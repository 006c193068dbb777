package io.statejob.runtime.snapshot;

/**
 * Where a snapshot stream's bytes are: inline ({@code data}, kept in the metadata or the
 * coordinator's heap) or in a file ({@code path}).
 *
 * @param path URI of the file, or null when inline
 * @param data the bytes when inline, else null
 * @param size number of bytes
 */
public record StreamHandle(String path, byte[] data, long size) {
  public static StreamHandle inline(byte[] data) {
    return new StreamHandle(null, data, data.length);
  }

  public static StreamHandle file(String path, long size) {
    return new StreamHandle(path, null, size);
  }

  public boolean isInline() {
    return path == null;
  }
}
