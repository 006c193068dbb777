package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The state backend of a StateJob. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StateBackendSpec {
  @JsonPropertyDescription(
      "memory (heap state, snapshots in the coordinator's memory), filesystem (heap state,"
          + " snapshots as files), rocksdb (state on local disk) or custom (factoryClass).")
  public StateBackendType type;

  @JsonPropertyDescription(
      "custom only: fully qualified name of a class implementing StateBackendFactory.")
  public String factoryClass;

  @JsonPropertyDescription(
      "rocksdb only: upload only the SST files that are new since the last checkpoint.")
  public Boolean incremental;

  @JsonPropertyDescription(
      "memory and filesystem: write snapshots on a background thread while processing goes on"
          + " (default true).")
  public Boolean asyncSnapshots;

  @JsonPropertyDescription(
      "memory only: the largest snapshot of one state, as a quantity such as 5Mi (default).")
  public String maxStateSize;

  @JsonPropertyDescription("rocksdb only: the volume that holds each worker's RocksDB files.")
  public LocalStorageSpec localStorage;
}
