package io.statejob.runtime.state.rocksdb.database;

import io.statejob.runtime.state.BackendGauge;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RocksDB's own figures, as Flink's {@code state.backend.rocksdb.metrics.*}: the native memory the
 * container limit must cover (block cache, memtables) and whether compaction keeps up, summed over
 * the databases open in this process. A database that closes leaves the sums; reading a property
 * and closing its database exclude each other (see {@link RocksDBInstance#property}).
 */
public final class RocksDBNativeMetrics {
  /**
   * @param property RocksDB's property name
   * @param perColumn summed over the column families (one per state), else the database's own
   */
  private record Property(
      String property, boolean perColumn, String metric, String unit, String description) {}

  private static final List<Property> PROPERTIES =
      List.of(
          new Property(
              "rocksdb.block-cache-usage",
              false,
              "statejob.rocksdb.block.cache.usage",
              "bytes",
              "Memory in RocksDB's block cache (data, index and filter blocks, and the memtables"
                  + " charged to it)"),
          new Property(
              "rocksdb.block-cache-pinned-usage",
              false,
              "statejob.rocksdb.block.cache.pinned",
              "bytes",
              "Memory of the block cache's entries in use, which it cannot evict"),
          new Property(
              "rocksdb.cur-size-all-mem-tables",
              true,
              "statejob.rocksdb.memtables.size",
              "bytes",
              "Memory of RocksDB's active and unflushed memtables"),
          new Property(
              "rocksdb.estimate-pending-compaction-bytes",
              true,
              "statejob.rocksdb.compaction.pending",
              "bytes",
              "Bytes compaction must rewrite to bring every level under its target size"),
          new Property(
              "rocksdb.num-running-compactions",
              false,
              "statejob.rocksdb.compactions.running",
              null,
              "Compactions running now"),
          new Property(
              "rocksdb.estimate-num-keys",
              true,
              "statejob.rocksdb.keys.estimate",
              null,
              "Estimated number of keys (rows) in RocksDB"),
          new Property(
              "rocksdb.total-sst-files-size",
              true,
              "statejob.rocksdb.sst.files.size",
              "bytes",
              "Size of all of RocksDB's SST files on the local disk"));

  private final Set<RocksDBInstance> open = ConcurrentHashMap.newKeySet();

  void opened(RocksDBInstance instance) {
    open.add(instance);
  }

  void closed(RocksDBInstance instance) {
    open.remove(instance);
  }

  public List<BackendGauge> gauges() {
    return PROPERTIES.stream()
        .map(
            p ->
                new BackendGauge(
                    p.metric(),
                    p.unit(),
                    p.description(),
                    () ->
                        open.stream()
                            .mapToLong(db -> db.property(p.property(), p.perColumn()))
                            .sum()))
        .toList();
  }
}
