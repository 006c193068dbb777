package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Where checkpoints go, how often they are taken and how many are kept. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.uri) || !(self.uri.startsWith('s3://') || self.uri.startsWith('s3n://'))",
    message = "uri: write s3a://, the Hadoop S3A connector, not s3:// or s3n://")
@ValidationRule(
    value = "!has(self.uri) || !self.uri.matches('^https?://')",
    message = "uri: checkpoints need a writable file system (file://, s3a://, hdfs://), not http")
public class CheckpointsSpec {
  /** More retained checkpoints than this is a mistake: each one keeps its files in storage. */
  public static final int MAX_RETAINED = 1000;

  @JsonPropertyDescription(
      "Base URI of checkpoints: file:///path, s3a://bucket/prefix, hdfs://namenode:port/path, or"
          + " any scheme a Hadoop FileSystem on the runtime's class path serves. Required for the"
          + " filesystem and rocksdb backends.")
  @Pattern(Patterns.CHECKPOINT_URI)
  @Size(max = 4096)
  public String uri;

  @JsonPropertyDescription("Time between checkpoints, e.g. 30s or 2m (default 10s).")
  @Pattern(Patterns.DURATION)
  @Size(max = 64)
  public String interval;

  @JsonPropertyDescription("A checkpoint not completed within this time is aborted (default 10m).")
  @Pattern(Patterns.DURATION)
  @Size(max = 64)
  public String timeout;

  @JsonPropertyDescription(
      "A running job with no checkpoint completed for this long is restarted from its latest"
          + " checkpoint, at most 3 times an hour, then marked Failed (default 10 intervals, and"
          + " at least the checkpoint timeout and an interval).")
  @Pattern(Patterns.DURATION)
  @Size(max = 64)
  public String maxAge;

  @JsonPropertyDescription(
      "Change this number to take a checkpoint now (the Flink Kubernetes Operator's"
          + " checkpointTriggerNonce).")
  public Long triggerNonce;

  @JsonPropertyDescription("Number of completed checkpoints to keep (default 3).")
  @Min(1)
  @Max(MAX_RETAINED)
  public Integer retained;

  @JsonPropertyDescription(
      "Consecutive failed checkpoints tolerated before the job restarts (default 3).")
  @Min(0)
  @Max(Integer.MAX_VALUE)
  public Integer tolerableFailures;

  @JsonPropertyDescription(
      "Delete the job's checkpoints and shared files when the StateJob is deleted (a finalizer"
          + " holds the deletion: after the final savepoint of savepoints.onDelete, the pods stop"
          + " and a cleanup pod deletes them). Savepoints stay. Default false: everything stays.")
  public Boolean cleanupOnDelete;
}
