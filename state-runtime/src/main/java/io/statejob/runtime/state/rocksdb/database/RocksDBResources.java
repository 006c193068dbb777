package io.statejob.runtime.state.rocksdb.database;

import java.util.ArrayDeque;
import java.util.Deque;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksObject;
import org.rocksdb.StringAppendOperator;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The native option objects of one worker's database, closed together in reverse order of creation:
 * leaked handles are native memory the JVM does not see.
 */
public final class RocksDBResources implements AutoCloseable {
  /** Separates list elements; elements are self-delimiting, so it is only skipped on read. */
  public static final char LIST_DELIMITER = ',';

  static {
    RocksDB.loadLibrary();
  }

  private static final int CACHE_SHARD_BITS = 2;
  private static final double HIGH_PRIORITY_SHARE = 0.2;

  private final Deque<RocksObject> owned = new ArrayDeque<>();
  public final DBOptions dbOptions;
  public final ColumnFamilyOptions columnOptions;
  public final WriteOptions writeOptions;
  public final ReadOptions readOptions;
  public final FlushOptions flushOptions;

  public RocksDBResources(RocksDBSettings settings) {
    // four shards, not one per 512 KiB: an index or filter block larger than a shard would be read
    // again at every get; and a fifth of the cache kept for index and filter blocks (high
    // priority), so data blocks and the memtables charged to the cache do not evict them. Without
    // both, list adds over 500,000 keys fell from 90 to 15 ops/ms as the state grew.
    Cache cache =
        own(new LRUCache(settings.blockCacheSize(), CACHE_SHARD_BITS, false, HIGH_PRIORITY_SHARE));
    WriteBufferManager writeBuffers =
        own(new WriteBufferManager(settings.writeBufferLimit(), cache));
    dbOptions =
        own(new DBOptions())
            .setCreateIfMissing(true)
            .setCreateMissingColumnFamilies(true)
            .setMaxBackgroundJobs(settings.backgroundJobs())
            .setWriteBufferManager(writeBuffers)
            .setInfoLogLevel(InfoLogLevel.WARN_LEVEL)
            .setKeepLogFileNum(2)
            .setStatsDumpPeriodSec(0);
    BlockBasedTableConfig table =
        new BlockBasedTableConfig()
            .setBlockCache(cache)
            .setBlockSize(settings.blockSize())
            .setCacheIndexAndFilterBlocks(true)
            .setCacheIndexAndFilterBlocksWithHighPriority(true)
            .setPinL0FilterAndIndexBlocksInCache(true)
            // a checkpoint flushes the memtables, so reads meet many small L0 files: a filter
            // skips those without the key instead of reading one of their blocks each
            .setFilterPolicy(own(new BloomFilter(10, false)));
    columnOptions =
        own(new ColumnFamilyOptions())
            .setMergeOperator(own(new StringAppendOperator(LIST_DELIMITER)))
            .setWriteBufferSize(settings.writeBufferSize())
            .setMaxWriteBufferNumber(settings.writeBufferCount())
            .setTableFormatConfig(table);
    // checkpoints are the durability: no write-ahead log, memtables are flushed before a snapshot
    writeOptions = own(new WriteOptions()).setDisableWAL(true);
    readOptions = own(new ReadOptions());
    flushOptions = own(new FlushOptions()).setWaitForFlush(true);
  }

  private <T extends RocksObject> T own(T object) {
    owned.push(object);
    return object;
  }

  @Override
  public void close() {
    while (!owned.isEmpty()) {
      owned.pop().close();
    }
  }
}
