package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Connection settings of an S3-compatible store. Credentials come only from a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3StorageSpec {
  @JsonPropertyDescription("Endpoint URL, e.g. https://minio.storage:9000; AWS when unset.")
  @Pattern("^https?://.+")
  @Size(max = 2048)
  public String endpoint;

  @JsonPropertyDescription("Region of the bucket, e.g. us-east-1.")
  @Size(max = 64)
  public String region;

  @JsonPropertyDescription("Address buckets by path (needed by most S3-compatible stores).")
  public Boolean pathStyleAccess;

  @JsonPropertyDescription(
      "Secret with keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, passed to the pods as"
          + " environment variables.")
  @Size(max = 253)
  public String credentialsSecret;
}
