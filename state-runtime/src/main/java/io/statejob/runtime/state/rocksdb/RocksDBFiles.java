package io.statejob.runtime.state.rocksdb;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.snapshot.IncrementalHandle;
import io.statejob.runtime.snapshot.StreamHandle;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.storage.StreamHandles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/** Files and key-group ranges of RocksDB databases: download, clip, copy, delete. */
final class RocksDBFiles {
  private static final long BATCH_BYTES = 4L * 1024 * 1024;

  private RocksDBFiles() {}

  /** The 2-byte row key prefix of a key group; rows of a key group sort between two of them. */
  static byte[] keyGroupPrefix(int keyGroup) {
    return new byte[] {(byte) (keyGroup >>> 8), (byte) keyGroup};
  }

  /** Downloads every file of an incremental snapshot into {@code directory}. */
  static void download(IncrementalHandle handle, Path directory, RuntimeConfig config)
      throws IOException {
    Files.createDirectories(directory);
    for (Map<String, StreamHandle> files : List.of(handle.sharedFiles(), handle.privateFiles())) {
      for (Map.Entry<String, StreamHandle> file : files.entrySet()) {
        try (InputStream in = StreamHandles.open(file.getValue(), 0, config)) {
          Files.copy(in, directory.resolve(file.getKey()));
        }
      }
    }
  }

  static List<byte[]> columnFamilies(Path directory) throws RocksDBException {
    try (Options options = new Options()) {
      return RocksDB.listColumnFamilies(options, directory.toString());
    }
  }

  /** Deletes every row outside {@code range} in every column family. */
  static void clip(
      RocksDB db, List<ColumnFamilyHandle> handles, KeyGroupRange range, int maxParallelism)
      throws IOException {
    try {
      for (ColumnFamilyHandle handle : handles) {
        if (range.start() > 0) {
          db.deleteRange(handle, keyGroupPrefix(0), keyGroupPrefix(range.start()));
        }
        if (range.end() + 1 < maxParallelism) {
          db.deleteRange(handle, keyGroupPrefix(range.end() + 1), keyGroupPrefix(maxParallelism));
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
  static void copyRange(
      SubtaskState handle,
      KeyGroupRange range,
      RuntimeConfig config,
      RocksDBKeyedStateBackend<?> target)
      throws IOException {
    Path directory =
        target
            .instanceDir()
            .resolveSibling(target.instanceDir().getFileName() + "-import-" + UUID.randomUUID());
    try {
      download(handle.incremental().orElseThrow(), directory, config);
      withReadOnly(
          directory,
          target.resources(),
          (db, names, handles) -> {
            for (int i = 0; i < names.size(); i++) {
              if (names.get(i).equals(RocksDBKeyedStateBackend.DEFAULT_COLUMN)) {
                continue;
              }
              ColumnFamilyHandle into = target.columnForCopy(names.get(i), handle.keyedStates());
              copyRows(db, handles.get(i), target.db(), into, range, target.resources());
            }
          });
    } finally {
      deleteQuietly(directory);
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
    byte[] end = keyGroupPrefix(range.end() + 1);
    try (RocksIterator it = from.newIterator(source);
        WriteBatch batch = new WriteBatch()) {
      for (it.seek(keyGroupPrefix(range.start())); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (java.util.Arrays.compareUnsigned(key, end) >= 0) {
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

  /** Works on an opened database. */
  @FunctionalInterface
  interface ReadOnlyWork {
    void run(RocksDB db, List<String> columnNames, List<ColumnFamilyHandle> handles)
        throws IOException, RocksDBException;
  }

  /** Opens the database in {@code directory} read-only with all its column families. */
  static void withReadOnly(Path directory, RocksDBResources resources, ReadOnlyWork work)
      throws IOException {
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      List<byte[]> names = columnFamilies(directory);
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      for (byte[] name : names) {
        descriptors.add(new ColumnFamilyDescriptor(name, resources.columnOptions));
      }
      try (RocksDB db =
          RocksDB.openReadOnly(resources.dbOptions, directory.toString(), descriptors, handles)) {
        try {
          work.run(
              db, names.stream().map(n -> new String(n, StandardCharsets.UTF_8)).toList(), handles);
        } finally {
          handles.forEach(ColumnFamilyHandle::close);
        }
      }
    } catch (RocksDBException e) {
      throw new IOException("cannot read RocksDB files in " + directory + ": " + e.getMessage(), e);
    }
  }

  static void deleteQuietly(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover directory is removed with the job's local state at the next start
    }
  }
}
