package io.statejob.api.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Reads StateJob manifests, turning YAML and type errors into messages that name the field. */
public final class StateJobManifests {
  /** Kubernetes refuses objects larger than this (etcd's request limit); so does a manifest. */
  static final long MAX_MANIFEST_BYTES = 1536 * 1024;

  private static final String API_VERSION = "statejob.io/v1alpha1";
  private static final String KIND = "StateJob";

  // a key given twice is an error, where YAML parsers keep the last one without a word
  private static final ObjectMapper YAML =
      new ObjectMapper(
              YAMLFactory.builder()
                  .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private StateJobManifests() {}

  /** A manifest that cannot be read, with a message naming the file and the field. */
  public static final class ManifestException extends IOException {
    public ManifestException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static StateJob read(Path file) throws ManifestException {
    try {
      if (Files.isDirectory(file)) {
        throw new ManifestException("is a directory, not a manifest", null);
      }
      if (Files.size(file) > MAX_MANIFEST_BYTES) {
        throw new ManifestException(
            "is "
                + Files.size(file)
                + " bytes; a StateJob manifest is at most "
                + MAX_MANIFEST_BYTES
                + " (Kubernetes' object size limit)",
            null);
      }
      return parse(Files.readString(file));
    } catch (ManifestException e) {
      throw new ManifestException(file + ": " + e.getMessage(), e.getCause());
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ManifestException(file + ": not valid YAML: the file is not UTF-8 text", e);
    } catch (IOException e) {
      throw new ManifestException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  public static StateJob parse(String yaml) throws ManifestException {
    try {
      com.fasterxml.jackson.databind.JsonNode tree = YAML.readTree(yaml);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        throw new ManifestException("empty manifest", null);
      }
      if (!tree.isObject()) {
        throw new ManifestException("not a StateJob: the document is not a mapping", null);
      }
      // the resource class fills both in when they are missing, so check the document itself
      requireField(tree, "apiVersion", API_VERSION);
      requireField(tree, "kind", KIND);
      return YAML.treeToValue(tree, StateJob.class);
    } catch (JsonMappingException e) {
      throw new ManifestException(describe(e), e);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new ManifestException("not valid YAML: " + oneLine(e), e);
    } catch (RuntimeException e) {
      // SnakeYAML's own limits (aliases, code points, nesting) throw unchecked exceptions
      throw new ManifestException("not valid YAML: " + e.getMessage(), e);
    }
  }

  private static void requireField(
      com.fasterxml.jackson.databind.JsonNode tree, String field, String expected)
      throws ManifestException {
    com.fasterxml.jackson.databind.JsonNode value = tree.get(field);
    if (value == null || value.isNull()) {
      throw new ManifestException(field + ": required, '" + expected + "'", null);
    }
    if (!value.isTextual() || !value.asText().equals(expected)) {
      throw new ManifestException(
          field + ": '" + value.asText() + "' is not '" + expected + "'", null);
    }
  }

  /** The parser's message and the line it stopped at, without the source excerpt. */
  private static String oneLine(com.fasterxml.jackson.core.JsonProcessingException e) {
    String message = e.getOriginalMessage().lines().findFirst().orElse("").trim();
    return e.getLocation() == null || e.getLocation().getLineNr() < 1
        ? message
        : message + " (line " + e.getLocation().getLineNr() + ")";
  }

  public static String toYaml(StateJob job) {
    try {
      return YAML.writeValueAsString(job);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String describe(JsonMappingException e) {
    String field =
        e.getPath().stream()
            .map(
                ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
            .collect(Collectors.joining("."))
            .replace(".[", "[");
    if (e instanceof UnrecognizedPropertyException unknown) {
      return field + ": unknown field";
    }
    if (e instanceof InvalidFormatException invalid && invalid.getTargetType().isEnum()) {
      String allowed =
          Arrays.stream(invalid.getTargetType().getEnumConstants())
              .map(c -> enumValue((Enum<?>) c))
              .collect(Collectors.joining(", "));
      return field + ": unknown value '" + invalid.getValue() + "'; expected one of " + allowed;
    }
    if (e instanceof InvalidFormatException invalid) {
      return field
          + ": '"
          + invalid.getValue()
          + "' is not a valid "
          + invalid.getTargetType().getSimpleName();
    }
    return field + ": " + e.getOriginalMessage();
  }

  private static String enumValue(Enum<?> constant) {
    try {
      com.fasterxml.jackson.annotation.JsonProperty property =
          constant
              .getDeclaringClass()
              .getField(constant.name())
              .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      return property == null ? constant.name() : property.value();
    } catch (NoSuchFieldException e) {
      return constant.name();
    }
  }
}
