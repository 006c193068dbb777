package io.statejob.runtime.storage;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.DamagedSnapshotException;
import io.statejob.runtime.snapshot.StreamHandle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads every file of a snapshot to its end and compares it with the size and checksum its metadata
 * recorded: what {@code statejob checkpoints verify} does, and what the tools do before they show a
 * snapshot. A file shared by several checkpoints is read once per verifier.
 */
public final class CheckpointVerifier {
  private final RuntimeConfig config;

  /** Verified paths: the damage found, or empty when intact. */
  private final Map<String, Optional<DamagedSnapshotException>> verified = new HashMap<>();

  public CheckpointVerifier(RuntimeConfig config) {
    this.config = config;
  }

  /** The damaged files of {@code checkpoint}, each named once; empty when it is intact. */
  public List<DamagedSnapshotException> damage(CompletedCheckpoint checkpoint) throws IOException {
    Map<String, DamagedSnapshotException> damage = new LinkedHashMap<>();
    for (StreamHandle handle : checkpoint.metadata().handles()) {
      Optional<DamagedSnapshotException> found =
          handle.isInline() ? check(handle) : verified.get(handle.path());
      if (found == null) {
        found = check(handle);
        verified.put(handle.path(), found);
      }
      found.ifPresent(e -> damage.putIfAbsent(e.getMessage(), e));
    }
    return List.copyOf(damage.values());
  }

  private Optional<DamagedSnapshotException> check(StreamHandle handle) throws IOException {
    try (InputStream in = StreamHandles.openVerified(handle, config)) {
      in.transferTo(OutputStream.nullOutputStream());
      return Optional.empty();
    } catch (DamagedSnapshotException e) {
      return Optional.of(e);
    }
  }
}
