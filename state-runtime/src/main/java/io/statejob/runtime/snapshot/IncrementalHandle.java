package io.statejob.runtime.snapshot;

import java.util.Map;

/**
 * The files of an incremental RocksDB snapshot, by their name in the database directory.
 *
 * @param sharedFiles SST files under {@code <job>/shared/}, uploaded once and referenced by every
 *     checkpoint that still needs them
 * @param privateFiles the small files owned by this checkpoint (MANIFEST, CURRENT, OPTIONS)
 * @param uploadedBytes bytes this checkpoint wrote; the rest it shares with earlier checkpoints
 */
public record IncrementalHandle(
    Map<String, StreamHandle> sharedFiles,
    Map<String, StreamHandle> privateFiles,
    long uploadedBytes) {

  public long totalBytes() {
    return sharedFiles.values().stream().mapToLong(StreamHandle::size).sum()
        + privateFiles.values().stream().mapToLong(StreamHandle::size).sum();
  }
}
