package io.statejob.runtime.state.rocksdb.database;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.serialization.DataOutputBuffer;
import java.nio.file.Path;

/**
 * The RocksDB backend's settings from {@code state.backend.rocksdb.*}.
 *
 * @param localDir where workers keep their databases
 * @param incremental upload only new SST files at each checkpoint
 * @param blockCacheSize block cache per worker, which also holds the write buffers' memory
 * @param writeBufferSize size of one memtable
 * @param writeBufferCount memtables per column family
 * @param writeBufferLimit memtable memory of all column families of a worker
 * @param blockSize data block size
 * @param backgroundJobs flush and compaction threads
 * @param maxValueSize the largest value RocksDB may hold for one key: a list that would grow past
 *     it is rejected at write time, because Java could not read it back
 */
public record RocksDBSettings(
    Path localDir,
    boolean incremental,
    long blockCacheSize,
    long writeBufferSize,
    int writeBufferCount,
    long writeBufferLimit,
    long blockSize,
    int backgroundJobs,
    long maxValueSize) {

  public static RocksDBSettings from(RuntimeConfig config) {
    Path localDir =
        config
            .getOptional(RuntimeOptions.ROCKSDB_LOCAL_DIR)
            .map(Path::of)
            .orElse(Path.of(System.getProperty("java.io.tmpdir"), "statejob-rocksdb"));
    return new RocksDBSettings(
        localDir.toAbsolutePath(),
        config.get(RuntimeOptions.INCREMENTAL_CHECKPOINTS),
        config.get(RuntimeOptions.ROCKSDB_BLOCK_CACHE_SIZE),
        config.get(RuntimeOptions.ROCKSDB_WRITE_BUFFER_SIZE),
        config.get(RuntimeOptions.ROCKSDB_WRITE_BUFFER_COUNT),
        config.get(RuntimeOptions.ROCKSDB_WRITE_BUFFER_LIMIT),
        config.get(RuntimeOptions.ROCKSDB_BLOCK_SIZE),
        config.get(RuntimeOptions.ROCKSDB_THREADS),
        DataOutputBuffer.MAX_LENGTH);
  }

  public RocksDBSettings withMaxValueSize(long bytes) {
    return new RocksDBSettings(
        localDir,
        incremental,
        blockCacheSize,
        writeBufferSize,
        writeBufferCount,
        writeBufferLimit,
        blockSize,
        backgroundJobs,
        bytes);
  }
}
