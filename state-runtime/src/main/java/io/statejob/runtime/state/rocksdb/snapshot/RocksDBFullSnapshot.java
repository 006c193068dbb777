package io.statejob.runtime.state.rocksdb.snapshot;

import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.state.rocksdb.database.RocksDBBlockExporter;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.Snapshot;

/**
 * A full snapshot: a RocksDB snapshot taken between two records (constant time), read out key group
 * by key group in the backend-neutral block format while processing goes on. Restorable at any
 * parallelism and by any backend.
 */
final class RocksDBFullSnapshot implements KeyedStateSnapshot {
  private final RocksDB db;
  private final Snapshot snapshot;
  private final ReadOptions readOptions;
  private final RocksDBBlockExporter exporter;
  private final List<StateMeta> states;
  private final Consumer<KeyedStateSnapshot> onRelease;
  private final AtomicBoolean released = new AtomicBoolean();

  private RocksDBFullSnapshot(
      RocksDB db, List<RocksDBColumn> columns, Consumer<KeyedStateSnapshot> onRelease) {
    this.db = db;
    this.snapshot = db.getSnapshot();
    // a scan of all state: its blocks would only push the task thread's hot ones out of the cache
    this.readOptions = new ReadOptions().setSnapshot(snapshot).setFillCache(false);
    this.exporter = new RocksDBBlockExporter(db, readOptions, columns);
    this.states = columns.stream().map(RocksDBColumn::meta).toList();
    this.onRelease = onRelease;
  }

  static RocksDBFullSnapshot take(
      RocksDB db, List<RocksDBColumn> columns, Consumer<KeyedStateSnapshot> onRelease) {
    return new RocksDBFullSnapshot(db, columns, onRelease);
  }

  @Override
  public List<StateMeta> states() {
    return states;
  }

  @Override
  public boolean writeBlock(int stateIndex, int keyGroup, DataOutputBuffer out) throws IOException {
    return exporter.writeBlock(stateIndex, keyGroup, out);
  }

  @Override
  public void release() {
    if (released.compareAndSet(false, true)) {
      exporter.close();
      readOptions.close();
      db.releaseSnapshot(snapshot);
      onRelease.accept(this);
    }
  }
}
