package io.statejob.runtime.state.rocksdb.database;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.snapshot.IncrementalHandle;
import io.statejob.runtime.snapshot.StreamHandle;
import io.statejob.runtime.storage.FileChunks;
import io.statejob.runtime.storage.StreamHandles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** Files of RocksDB databases: download, list column families, open read-only, delete. */
public final class RocksDBFiles {

  private RocksDBFiles() {}

  /** The 2-byte row key prefix of a key group; rows of a key group sort between two of them. */
  public static byte[] keyGroupPrefix(int keyGroup) {
    return new byte[] {(byte) (keyGroup >>> 8), (byte) keyGroup};
  }

  /** The key group of a row key: the inverse of {@link #keyGroupPrefix}. */
  public static int keyGroupOf(byte[] row) {
    return ((row[0] & 0xff) << 8) | (row[1] & 0xff);
  }

  /** Whether row key {@code array} starts with {@code prefix}. */
  public static boolean startsWith(byte[] array, byte[] prefix) {
    return array.length >= prefix.length
        && Arrays.equals(array, 0, prefix.length, prefix, 0, prefix.length);
  }

  /**
   * Downloads every file of an incremental snapshot into {@code directory}, verifying each against
   * its recorded size and checksum as it is copied.
   */
  public static void download(IncrementalHandle handle, Path directory, RuntimeConfig config)
      throws IOException {
    Files.createDirectories(directory);
    for (Map<String, StreamHandle> files : List.of(handle.sharedFiles(), handle.privateFiles())) {
      for (Map.Entry<String, StreamHandle> file : files.entrySet()) {
        try (InputStream in = StreamHandles.openVerified(file.getValue(), config);
            OutputStream out =
                Files.newOutputStream(
                    directory.resolve(file.getKey()), StandardOpenOption.CREATE_NEW)) {
          FileChunks.copy(in, out);
        }
      }
    }
  }

  public static List<byte[]> columnFamilies(Path directory) throws RocksDBException {
    try (Options options = new Options()) {
      return RocksDB.listColumnFamilies(options, directory.toString());
    }
  }

  /** Works on an opened database. */
  @FunctionalInterface
  public interface ReadOnlyWork {
    void run(RocksDB db, List<String> columnNames, List<ColumnFamilyHandle> handles)
        throws IOException, RocksDBException;
  }

  /** Opens the database in {@code directory} read-only with all its column families. */
  public static void withReadOnly(Path directory, RocksDBResources resources, ReadOnlyWork work)
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

  public static void deleteQuietly(Path directory) {
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
