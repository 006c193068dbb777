package io.statejob.runtime.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FSError;

/**
 * Hadoop's local file system reports a failed write, such as a full disk, as {@link FSError}, an
 * {@code Error}. This stream turns it back into the {@code IOException} it wraps, so a full disk
 * fails the checkpoint being written, with the file and "No space left on device", instead of
 * killing the thread that writes it and leaving the checkpoint to hang.
 */
final class DiskErrorOutputStream extends FilterOutputStream {
  private final String file;

  DiskErrorOutputStream(OutputStream out, String file) {
    super(out);
    this.file = file;
  }

  @Override
  public void write(int b) throws IOException {
    try {
      out.write(b);
    } catch (FSError e) {
      throw translated(e);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (FSError e) {
      throw translated(e);
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      out.flush();
    } catch (FSError e) {
      throw translated(e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      out.close();
    } catch (FSError e) {
      throw translated(e);
    }
  }

  private IOException translated(FSError error) {
    Throwable cause = error.getCause() == null ? error : error.getCause();
    return new IOException("cannot write " + file + ": " + cause.getMessage(), cause);
  }
}
