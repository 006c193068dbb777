package io.statejob.runtime.storage;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.snapshot.StreamHandle;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Opens the bytes a {@link StreamHandle} points at. */
public final class StreamHandles {
  private StreamHandles() {}

  /** A stream positioned at {@code offset}; the caller closes it. */
  public static InputStream open(StreamHandle handle, long offset, RuntimeConfig config)
      throws IOException {
    if (handle.isInline()) {
      return new ByteArrayInputStream(
          handle.data(), (int) offset, handle.data().length - (int) offset);
    }
    FileSystem fs = HadoopFileSystems.get(URI.create(handle.path()), config);
    FSDataInputStream in = fs.open(new Path(handle.path()));
    in.seek(offset);
    return new BufferedInputStream(in, 64 * 1024);
  }
}
