package io.statejob.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;

/** What one role's pods (coordinator or workers) get besides what both get. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RoleSpec {
  @JsonPropertyDescription(
      "A pod template (metadata, spec) merged over spec.podTemplate for this role's pods only, as"
          + " a whole tree: containers, volumes and env entries by name. Its schema is that of a"
          + " PodTemplateSpec; the operator checks it (a full copy here would make the CRD too"
          + " large for kubectl apply).")
  @PreserveUnknownFields
  public JsonNode podTemplate;
}
