package io.statejob.operator.resources;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * An object's JSON with every map's keys in order: the same bytes for the same object in any JVM. A
 * digest of plain serialization differs between JVMs, whose {@code Map.of} orders vary, and made
 * every operator restart rewrite every owned object.
 */
public final class CanonicalJson {
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
  private static final ObjectMapper SORTED =
      JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

  private CanonicalJson() {}

  public static String of(Object value) {
    try {
      return SORTED.writeValueAsString(KUBERNETES.convertValue(value, JsonNode.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree always serializes", e);
    }
  }
}
