package io.statejob.runtime.state.rocksdb.snapshot;

import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.snapshot.IncrementalHandle;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.snapshot.StreamHandle;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;
import io.statejob.runtime.state.rocksdb.database.RocksDBFiles;
import io.statejob.runtime.state.rocksdb.database.RocksDBInstance;
import io.statejob.runtime.storage.CheckpointOutputStream;
import io.statejob.runtime.storage.CheckpointStorage;
import io.statejob.runtime.storage.FileChunks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.RocksDBException;

/**
 * An incremental snapshot. The synchronous part flushes the memtables and takes a RocksDB
 * checkpoint (hard links, milliseconds); the asynchronous part uploads the SST files that the last
 * completed checkpoint did not already hold, and the small files that describe the database.
 */
final class RocksDBIncrementalSnapshot implements KeyedStateSnapshot {
  private final RocksDBSnapshotStrategy strategy;
  private final Path directory;
  private final List<StateMeta> states;
  private final Map<String, StreamHandle> previousShared;
  private final AtomicBoolean released = new AtomicBoolean();

  private RocksDBIncrementalSnapshot(
      RocksDBSnapshotStrategy strategy,
      Path directory,
      List<RocksDBColumn> columns,
      Map<String, StreamHandle> previousShared) {
    this.strategy = strategy;
    this.directory = directory;
    this.states = columns.stream().map(RocksDBColumn::meta).toList();
    this.previousShared = previousShared;
  }

  static RocksDBIncrementalSnapshot take(
      RocksDBInstance instance,
      long checkpointId,
      List<RocksDBColumn> columns,
      Map<String, StreamHandle> previousShared,
      RocksDBSnapshotStrategy strategy)
      throws IOException {
    Path directory =
        instance
            .directory()
            .resolveSibling(instance.directory().getFileName() + "-chk-" + checkpointId);
    try (Checkpoint checkpoint = Checkpoint.create(instance.db())) {
      instance.db().flush(instance.resources().flushOptions, instance.allHandles());
      checkpoint.createCheckpoint(directory.toString());
    } catch (RocksDBException e) {
      RocksDBFiles.deleteQuietly(directory);
      throw new IOException("cannot take a RocksDB checkpoint: " + e.getMessage(), e);
    }
    return new RocksDBIncrementalSnapshot(strategy, directory, columns, previousShared);
  }

  @Override
  public List<StateMeta> states() {
    return states;
  }

  @Override
  public boolean writeBlock(int stateIndex, int keyGroup, DataOutputBuffer out) {
    return false; // the state is in the files
  }

  @Override
  public Optional<IncrementalHandle> uploadFiles(
      CheckpointStorage storage, long checkpointId, int subtask, String owner) throws IOException {
    Map<String, StreamHandle> shared = new TreeMap<>();
    Map<String, StreamHandle> owned = new TreeMap<>();
    long uploaded = 0;
    List<Path> files;
    try (Stream<Path> list = Files.list(directory)) {
      files = list.sorted().toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      StreamHandle reused = name.endsWith(".sst") ? previousShared.get(name) : null;
      if (reused != null) {
        shared.put(name, reused);
        continue;
      }
      CheckpointOutputStream out =
          name.endsWith(".sst")
              ? storage.createSharedStream(checkpointId, owner + "-" + name)
              : storage.createStream(checkpointId, subtask);
      StreamHandle handle;
      try {
        try (InputStream in = Files.newInputStream(file)) {
          FileChunks.copy(in, out);
        }
        handle = out.closeAndGetHandle();
      } catch (IOException | RuntimeException e) {
        out.discard();
        throw e;
      }
      (name.endsWith(".sst") ? shared : owned).put(name, handle);
      uploaded += handle.size();
    }
    strategy.sharedFilesUploaded(checkpointId, Map.copyOf(shared));
    return Optional.of(new IncrementalHandle(shared, owned, uploaded));
  }

  @Override
  public void release() {
    if (released.compareAndSet(false, true)) {
      RocksDBFiles.deleteQuietly(directory);
      strategy.released(this);
    }
  }
}
