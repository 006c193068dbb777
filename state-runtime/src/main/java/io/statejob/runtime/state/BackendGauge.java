package io.statejob.runtime.state;

import java.util.function.DoubleSupplier;

/**
 * A figure a state backend measures of itself (RocksDB's native memory, for one), which the
 * process's metrics serve.
 *
 * @param name a dotted metric name, e.g. {@code statejob.rocksdb.block.cache.usage}
 * @param baseUnit {@code bytes}, or null for a count
 */
public record BackendGauge(
    String name, String baseUnit, String description, DoubleSupplier value) {}
