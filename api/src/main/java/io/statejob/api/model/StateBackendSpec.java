package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The state backend of a StateJob. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.type) && self.type == 'custom') == has(self.factoryClass)",
    message = "factoryClass is required for type custom and allowed only there")
@ValidationRule(
    value = "!has(self.incremental) || (has(self.type) && self.type == 'rocksdb')",
    message = "incremental checkpoints exist only for the rocksdb backend")
@ValidationRule(
    value = "!has(self.localStorage) || (has(self.type) && self.type == 'rocksdb')",
    message = "localStorage is used only by the rocksdb backend")
@ValidationRule(
    value = "!has(self.maxStateSize) || !has(self.type) || self.type == 'memory'",
    message = "maxStateSize applies only to the memory backend")
@ValidationRule(
    value = "!has(self.asyncSnapshots) || !has(self.type) || self.type != 'rocksdb'",
    message = "rocksdb snapshots are always asynchronous; remove asyncSnapshots")
public class StateBackendSpec {
  @JsonPropertyDescription(
      "memory (heap state, snapshots in the coordinator's memory), filesystem (heap state,"
          + " snapshots as files), rocksdb (state on local disk) or custom (factoryClass).")
  @Default("memory")
  public StateBackendType type;

  @JsonPropertyDescription(
      "custom only: fully qualified name of a class implementing StateBackendFactory.")
  @Pattern(Patterns.JAVA_CLASS_NAME)
  @Size(max = 1024)
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
  @Pattern(Patterns.BYTE_SIZE)
  @Size(max = 64)
  public String maxStateSize;

  @JsonPropertyDescription("rocksdb only: the volume that holds each worker's RocksDB files.")
  public LocalStorageSpec localStorage;
}
