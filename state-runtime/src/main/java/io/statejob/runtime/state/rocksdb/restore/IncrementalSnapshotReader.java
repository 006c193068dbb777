package io.statejob.runtime.state.rocksdb.restore;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.snapshot.KeyGroupBlockConsumer;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.StateBlockCodec;
import io.statejob.runtime.state.rocksdb.database.RocksDBBlockExporter;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;
import io.statejob.runtime.state.rocksdb.database.RocksDBFiles;
import io.statejob.runtime.state.rocksdb.database.RocksDBResources;
import io.statejob.runtime.state.rocksdb.database.RocksDBSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.ReadOptions;

/**
 * Reads the state of an incremental RocksDB snapshot as blocks, without the RocksDB backend: for
 * dumps, and for restoring such a checkpoint into a heap backend.
 */
public final class IncrementalSnapshotReader {
  private IncrementalSnapshotReader() {}

  /** Reads the entries of the key groups of {@code range} that {@code handle} holds as blocks. */
  public static void exportBlocks(
      SubtaskState handle,
      KeyGroupRange range,
      RuntimeConfig config,
      KeyGroupBlockConsumer consumer)
      throws IOException {
    KeyGroupRange wanted = handle.keyGroupRange().intersect(range);
    if (wanted.size() == 0) {
      return;
    }
    Path directory = Files.createTempDirectory("statejob-export-");
    RocksDBSettings settings = RocksDBSettings.from(RuntimeConfig.empty());
    try (RocksDBResources resources = new RocksDBResources(settings)) {
      RocksDBFiles.download(handle.incremental().orElseThrow(), directory, config);
      RocksDBFiles.withReadOnly(
          directory,
          resources,
          (db, names, handles) -> {
            List<RocksDBColumn> columns = new ArrayList<>();
            for (StateMeta meta : handle.keyedStates()) {
              int index = names.indexOf(meta.name());
              if (index >= 0) {
                columns.add(
                    new RocksDBColumn(
                        meta,
                        StateBlockCodec.forMeta(
                            meta, IncrementalSnapshotReader.class.getClassLoader()),
                        handles.get(index),
                        null,
                        null));
              }
            }
            try (ReadOptions readOptions = new ReadOptions();
                RocksDBBlockExporter exporter =
                    new RocksDBBlockExporter(db, readOptions, columns)) {
              DataOutputBuffer block = new DataOutputBuffer(4096);
              for (int keyGroup = wanted.start(); keyGroup <= wanted.end(); keyGroup++) {
                for (int i = 0; i < columns.size(); i++) {
                  block.reset();
                  if (exporter.writeBlock(i, keyGroup, block)) {
                    consumer.accept(columns.get(i).meta(), keyGroup, block.toByteArray());
                  }
                }
              }
            }
          });
    } finally {
      RocksDBFiles.deleteQuietly(directory);
    }
  }
}
