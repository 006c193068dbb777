package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Access to durable storage. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {
  @JsonPropertyDescription("S3 or an S3-compatible store (MinIO, Ceph) for s3a:// URIs.")
  public S3StorageSpec s3;
}
