package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Connection settings of an S3-compatible store. Credentials come only from a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3StorageSpec {
  @JsonPropertyDescription("Endpoint URL, e.g. https://minio.storage:9000; AWS when unset.")
  @Pattern("^https?://.+")
  public String endpoint;

  @JsonPropertyDescription("Region of the bucket, e.g. us-east-1.")
  public String region;

  @JsonPropertyDescription("Address buckets by path (needed by most S3-compatible stores).")
  public Boolean pathStyleAccess;

  @JsonPropertyDescription(
      "Secret with keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, passed to the pods as"
          + " environment variables.")
  public String credentialsSecret;
}
