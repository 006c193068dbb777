package io.statejob.runtime.state.rocksdb.restore;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.snapshot.IncrementalHandle;
import io.statejob.runtime.snapshot.StreamHandle;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.rocksdb.database.RocksDBFiles;
import io.statejob.runtime.state.rocksdb.database.RocksDBInstance;
import io.statejob.runtime.state.rocksdb.database.RocksDBResources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Restores incremental RocksDB snapshots into an instance, at any parallelism: the files of the
 * snapshot that overlaps the instance's key groups most become its database, clipped to its range,
 * and the rows of its range are copied in from the others.
 */
public final class RocksDBIncrementalRestoreOperation {
  private static final long BATCH_BYTES = 4L * 1024 * 1024;

  private RocksDBIncrementalRestoreOperation() {}

  /**
   * Restores the key groups of {@code range} from {@code handles} into {@code instance}.
   *
   * @return the shared files of the snapshot whose files became the database, when it did: the base
   *     of the next incremental checkpoint
   */
  public static Optional<Map<String, StreamHandle>> restore(
      List<SubtaskState> handles,
      KeyGroupRange range,
      int maxParallelism,
      RuntimeConfig config,
      RocksDBInstance instance)
      throws IOException {
    List<SubtaskState> toCopy = new ArrayList<>(handles);
    Optional<Map<String, StreamHandle>> base = Optional.empty();
    if (!instance.isOpen()) {
      SubtaskState largest =
          toCopy.stream()
              .max(Comparator.comparingInt(h -> h.keyGroupRange().intersect(range).size()))
              .orElseThrow();
      toCopy.remove(largest);
      IncrementalHandle files = largest.incremental().orElseThrow();
      RocksDBFiles.download(files, instance.directory(), config);
      instance.openRestored(largest.keyedStates());
      clip(instance.db(), instance.allHandles(), range, maxParallelism);
      base = Optional.of(files.sharedFiles());
    }
    for (SubtaskState handle : toCopy) {
      copyRange(handle, range, config, instance);
    }
    return base;
  }

  /** Deletes every row outside {@code range} in every column family. */
  private static void clip(
      RocksDB db, List<ColumnFamilyHandle> handles, KeyGroupRange range, int maxParallelism)
      throws IOException {
    try {
      for (ColumnFamilyHandle handle : handles) {
        if (range.start() > 0) {
          db.deleteRange(
              handle, RocksDBFiles.keyGroupPrefix(0), RocksDBFiles.keyGroupPrefix(range.start()));
        }
        if (range.end() + 1 < maxParallelism) {
          db.deleteRange(
              handle,
              RocksDBFiles.keyGroupPrefix(range.end() + 1),
              RocksDBFiles.keyGroupPrefix(maxParallelism));
        }
      }
    } catch (RocksDBException e) {
      throw new IOException("cannot clip restored RocksDB to " + range + ": " + e.getMessage(), e);
    }
  }

  /**
   * Copies the rows of {@code range} from another worker's incremental snapshot into {@code
   * target}: how a worker takes over key groups when the parallelism changes.
   */
  private static void copyRange(
      SubtaskState handle, KeyGroupRange range, RuntimeConfig config, RocksDBInstance target)
      throws IOException {
    Path directory =
        target
            .directory()
            .resolveSibling(target.directory().getFileName() + "-import-" + UUID.randomUUID());
    try {
      RocksDBFiles.download(handle.incremental().orElseThrow(), directory, config);
      RocksDBFiles.withReadOnly(
          directory,
          target.resources(),
          (db, names, handles) -> {
            for (int i = 0; i < names.size(); i++) {
              if (names.get(i).equals(RocksDBInstance.DEFAULT_COLUMN)) {
                continue;
              }
              ColumnFamilyHandle into = target.columnForCopy(names.get(i), handle.keyedStates());
              copyRows(db, handles.get(i), target.db(), into, range, target.resources());
            }
          });
    } finally {
      RocksDBFiles.deleteQuietly(directory);
    }
  }

  private static void copyRows(
      RocksDB from,
      ColumnFamilyHandle source,
      RocksDB to,
      ColumnFamilyHandle target,
      KeyGroupRange range,
      RocksDBResources resources)
      throws RocksDBException {
    byte[] end = RocksDBFiles.keyGroupPrefix(range.end() + 1);
    try (RocksIterator it = from.newIterator(source);
        WriteBatch batch = new WriteBatch()) {
      for (it.seek(RocksDBFiles.keyGroupPrefix(range.start())); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (Arrays.compareUnsigned(key, end) >= 0) {
          break;
        }
        batch.put(target, key, it.value());
        if (batch.getDataSize() > BATCH_BYTES) {
          to.write(resources.writeOptions, batch);
          batch.clear();
        }
      }
      to.write(resources.writeOptions, batch);
    }
  }
}
