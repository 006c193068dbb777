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
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private StateJobManifests() {}

  /** A manifest that cannot be read, with a message naming the file and the field. */
  public static final class ManifestException extends IOException {
    public ManifestException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static StateJob read(Path file) throws ManifestException {
    try {
      return parse(Files.readString(file));
    } catch (ManifestException e) {
      throw new ManifestException(file + ": " + e.getMessage(), e.getCause());
    } catch (IOException e) {
      throw new ManifestException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  public static StateJob parse(String yaml) throws ManifestException {
    try {
      StateJob job = YAML.readValue(yaml, StateJob.class);
      if (job == null) {
        throw new ManifestException("empty manifest", null);
      }
      return job;
    } catch (JsonMappingException e) {
      throw new ManifestException(describe(e), e);
    } catch (IOException e) {
      throw new ManifestException("not valid YAML: " + e.getMessage(), e);
    }
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
