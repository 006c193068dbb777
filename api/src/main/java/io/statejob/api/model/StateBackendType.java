package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kinds of state backend a StateJob can choose. */
public enum StateBackendType {
  /** Heap state; snapshots travel to the coordinator's memory. For small state. */
  @JsonProperty("memory")
  MEMORY,
  /** Heap state; snapshots written as files under the checkpoint URI. */
  @JsonProperty("filesystem")
  FILESYSTEM,
  /** RocksDB on the worker's local volume; full or incremental snapshots. */
  @JsonProperty("rocksdb")
  ROCKSDB,
  /** A backend built by a user-supplied factory class. */
  @JsonProperty("custom")
  CUSTOM;

  /** The runtime's {@code state.backend} value for this type. */
  public String configValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
