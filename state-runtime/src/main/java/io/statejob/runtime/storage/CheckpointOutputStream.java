package io.statejob.runtime.storage;

import io.statejob.runtime.snapshot.StreamHandle;
import java.io.IOException;
import java.io.OutputStream;

/** A stream a worker writes one snapshot into; closing it yields the handle of the bytes. */
public abstract class CheckpointOutputStream extends OutputStream {
  /** Bytes written so far: the offset of the next byte. */
  public abstract long position();

  /** Finishes the stream and says where its bytes are. */
  public abstract StreamHandle closeAndGetHandle() throws IOException;

  /** Drops what was written (a failed snapshot). */
  public abstract void discard();
}
