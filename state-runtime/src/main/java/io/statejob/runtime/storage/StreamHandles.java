package io.statejob.runtime.storage;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.snapshot.DamagedSnapshotException;
import io.statejob.runtime.snapshot.StreamHandle;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.zip.CRC32C;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Opens the bytes a {@link StreamHandle} points at. A file that is gone is reported as damage of
 * the snapshot that references it, so a restore falls back to an older one.
 */
public final class StreamHandles {
  private StreamHandles() {}

  /** A stream positioned at {@code offset}; the caller closes it and verifies what it reads. */
  public static InputStream open(StreamHandle handle, long offset, RuntimeConfig config)
      throws IOException {
    if (handle.isInline()) {
      return new ByteArrayInputStream(
          handle.data(), (int) offset, handle.data().length - (int) offset);
    }
    FileSystem fs = HadoopFileSystems.get(URI.create(handle.path()), config);
    FSDataInputStream in;
    try {
      in = fs.open(new Path(handle.path()));
    } catch (FileNotFoundException e) {
      throw new DamagedSnapshotException(handle.path(), "the file is missing");
    }
    in.seek(offset);
    return new BufferedInputStream(FileChunks.chunkedReads(in), 64 * 1024);
  }

  /**
   * All of the handle's bytes, checked as they are read: reading to the end throws {@link
   * DamagedSnapshotException} when the size or the checksum differs from the handle's.
   */
  public static InputStream openVerified(StreamHandle handle, RuntimeConfig config)
      throws IOException {
    return new VerifyingInputStream(open(handle, 0, config), handle);
  }

  /** Counts and checksums the bytes that pass and compares both with the handle at the end. */
  private static final class VerifyingInputStream extends FilterInputStream {
    private final StreamHandle handle;
    private final CRC32C crc = new CRC32C();
    private long count;

    VerifyingInputStream(InputStream in, StreamHandle handle) {
      super(in);
      this.handle = handle;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n < 0) {
        verifyEnd();
        return n;
      }
      crc.update(b, off, n);
      count += n;
      if (count > handle.size()) {
        throw new DamagedSnapshotException(
            handle.describe(), "the file is longer than the " + handle.size() + " bytes recorded");
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      throw new UnsupportedOperationException("a verified stream is read, not skipped");
    }

    private void verifyEnd() throws DamagedSnapshotException {
      if (count != handle.size()) {
        throw new DamagedSnapshotException(
            handle.describe(),
            "the file has " + count + " bytes, " + handle.size() + " were recorded");
      }
      Checksums.verify(handle.describe(), handle.crc32c(), crc.getValue(), "the file");
    }
  }
}
