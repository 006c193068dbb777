package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** A persistent volume claimed per worker for RocksDB's working files. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LocalStorageSpec {
  @JsonPropertyDescription("Size of each worker's volume, e.g. 10Gi.")
  @Pattern(Patterns.BYTE_SIZE)
  @Size(max = 64)
  public String size;

  @JsonPropertyDescription("Storage class of the volume; the cluster default when unset.")
  @Size(max = 253)
  public String storageClassName;

  @JsonPropertyDescription(
      "What happens to the workers' volumes when the StateJob is deleted: Delete (default) or"
          + " Retain. They hold only a working copy of state; checkpoints are elsewhere.")
  public ClaimRetention whenDeleted;

  @JsonPropertyDescription(
      "What happens to a worker's volume when the job scales down: Delete (default) or Retain.")
  public ClaimRetention whenScaled;

  /** A StatefulSet's {@code persistentVolumeClaimRetentionPolicy} values. */
  public enum ClaimRetention {
    Delete,
    Retain
  }
}
