package io.statejob.api.crd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The generated CRD's schema, applied to a resource as the API server applies it: defaults first,
 * then the OpenAPI schema (types, enums, patterns, ranges, required fields), then every {@code
 * x-kubernetes-validations} CEL rule at the node it is declared on.
 */
final class CrdSchema {
  static final Path GENERATED =
      Path.of("target", "classes", "META-INF", "fabric8", "statejobs.statejob.io-v1.yml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final CelCompiler CEL =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .addVar("oldSelf", SimpleType.DYN)
          .build();
  private static final CelRuntime CEL_RUNTIME =
      CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private final JsonNode openApiSchema;
  private final JsonSchema validator;

  private CrdSchema(JsonNode openApiSchema) {
    this.openApiSchema = openApiSchema;
    this.validator =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApiSchema);
  }

  static CrdSchema generated() throws Exception {
    JsonNode crd = YAML.readTree(GENERATED.toFile());
    return new CrdSchema(crd.at("/spec/versions/0/schema/openAPIV3Schema"));
  }

  JsonNode openApiSchema() {
    return openApiSchema;
  }

  /** Every problem the API server would report for {@code resourceYaml}; empty when accepted. */
  List<String> problems(String resourceYaml) throws Exception {
    return problems(null, resourceYaml);
  }

  /**
   * Every problem the API server would report for an update of {@code oldYaml} to {@code newYaml},
   * or for a create when {@code oldYaml} is null: transition rules ({@code oldSelf}) are evaluated
   * only where the old object has a value, as the API server does.
   */
  List<String> problems(String oldYaml, String resourceYaml) throws Exception {
    JsonNode resource = YAML.readTree(resourceYaml);
    applyDefaults(openApiSchema, resource);
    JsonNode old = null;
    if (oldYaml != null) {
      old = YAML.readTree(oldYaml);
      applyDefaults(openApiSchema, old);
    }
    List<String> problems = new ArrayList<>();
    for (ValidationMessage message : validator.validate(resource)) {
      problems.add(message.getMessage());
    }
    if (problems.isEmpty()) {
      evaluateRules(openApiSchema, resource, old, "", problems);
    }
    return problems;
  }

  private static void applyDefaults(JsonNode schema, JsonNode value) {
    if (!(value instanceof ObjectNode object)) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      if (!object.has(property.getKey()) && property.getValue().has("default")) {
        object.set(property.getKey(), property.getValue().get("default").deepCopy());
      }
      if (object.has(property.getKey())) {
        applyDefaults(property.getValue(), object.get(property.getKey()));
      }
    }
  }

  private static void evaluateRules(
      JsonNode schema, JsonNode value, JsonNode old, String path, List<String> problems)
      throws Exception {
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      boolean transition = rule.get("rule").asText().contains("oldSelf");
      if (transition && (old == null || old.isMissingNode())) {
        continue;
      }
      CelAbstractSyntaxTree ast = CEL.compile(rule.get("rule").asText()).getAst();
      Map<String, Object> variables = new LinkedHashMap<>();
      variables.put("self", toCel(value));
      if (transition) {
        variables.put("oldSelf", toCel(old));
      }
      Object result = CEL_RUNTIME.createProgram(ast).eval(variables);
      if (!Boolean.TRUE.equals(result)) {
        problems.add((path.isEmpty() ? "" : path + ": ") + rule.get("message").asText());
      }
    }
    if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode propertySchema = schema.path("properties").path(field.getKey());
        if (!propertySchema.isMissingNode()) {
          evaluateRules(
              propertySchema,
              field.getValue(),
              old == null ? null : old.path(field.getKey()),
              path + "." + field.getKey(),
              problems);
        }
      }
    } else if (value.isArray()) {
      for (JsonNode item : value) {
        evaluateRules(schema.path("items"), item, null, path + "[]", problems);
      }
    }
  }

  /** JSON as CEL sees it: maps, lists, int64, double, string, bool. */
  private static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(f -> map.put(f.getKey(), toCel(f.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }
}
