package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A persistent volume claimed per worker for RocksDB's working files. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalStorageSpec {
  @JsonPropertyDescription("Size of each worker's volume, e.g. 10Gi.")
  public String size;

  @JsonPropertyDescription("Storage class of the volume; the cluster default when unset.")
  public String storageClassName;
}
