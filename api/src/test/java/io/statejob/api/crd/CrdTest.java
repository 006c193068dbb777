package io.statejob.api.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD generated from the model: committed copies up to date, every field described, and the
 * schema and CEL rules accepting and rejecting resources as the API server will.
 */
class CrdTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<Path> COMMITTED_COPIES =
      List.of(
          ROOT.resolve("crds/statejobs.statejob.io-v1.yml"),
          ROOT.resolve("helm/statejob-operator/crds/statejobs.statejob.io-v1.yml"));

  /** Subtrees copied from Kubernetes' own types, described by Kubernetes' documentation. */
  private static final Set<String> KUBERNETES_TYPES =
      Set.of(
          ".spec.podTemplate",
          ".spec.resources.coordinator",
          ".spec.resources.worker",
          ".status.conditions");

  @Test
  void theCommittedCrdCopiesAreThoseTheModelGenerates() throws Exception {
    String generated = Files.readString(CrdSchema.GENERATED);
    for (Path copy : COMMITTED_COPIES) {
      assertThat(Files.readString(copy))
          .as("%s is stale: run `mvn -pl api process-classes -Pupdate-crds` and commit", copy)
          .isEqualTo(generated);
    }
  }

  @Test
  void everyFieldOfTheApiHasADescriptionForKubectlExplain() throws Exception {
    List<String> undescribed = new ArrayList<>();
    JsonNode schema = CrdSchema.generated().openApiSchema();
    collectUndescribed(schema.path("properties").path("spec"), ".spec", undescribed);
    collectUndescribed(schema.path("properties").path("status"), ".status", undescribed);
    assertThat(undescribed).isEmpty();
  }

  private static void collectUndescribed(JsonNode schema, String path, List<String> undescribed) {
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      String propertyPath = path + "." + property.getKey();
      if (!property.getValue().hasNonNull("description")) {
        undescribed.add(propertyPath);
      }
      if (KUBERNETES_TYPES.contains(propertyPath)) {
        continue;
      }
      collectUndescribed(property.getValue(), propertyPath, undescribed);
      collectUndescribed(property.getValue().path("items"), propertyPath + "[]", undescribed);
    }
  }

  @Test
  void kubectlGetShowsBackendParallelismPhaseLastCheckpointAndAge() throws Exception {
    JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(CrdSchema.GENERATED.toFile());
    List<String> columns = new ArrayList<>();
    crd.at("/spec/versions/0/additionalPrinterColumns")
        .forEach(c -> columns.add(c.get("name").asText() + "=" + c.get("jsonPath").asText()));
    assertThat(columns)
        .containsExactlyInAnyOrder(
            "Backend=.spec.stateBackend.type",
            "Parallelism=.spec.parallelism",
            "Phase=.status.phase",
            "Last Checkpoint=.status.checkpoints.latest.id",
            "Age=.metadata.creationTimestamp");
    assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo("sj");
    assertThat(crd.at("/spec/versions/0/subresources/status").isObject()).isTrue();
  }

  @Test
  void kubectlScaleAndAutoscalersSetTheParallelismAndReadTheReadyWorkers() throws Exception {
    JsonNode scale =
        new ObjectMapper(new YAMLFactory())
            .readTree(CrdSchema.GENERATED.toFile())
            .at("/spec/versions/0/subresources/scale");
    assertThat(scale.get("specReplicasPath").asText()).isEqualTo(".spec.parallelism");
    assertThat(scale.get("statusReplicasPath").asText()).isEqualTo(".status.workers.ready");
    assertThat(scale.get("labelSelectorPath").asText()).isEqualTo(".status.workers.selector");
  }

  static Stream<Path> exampleManifests() throws Exception {
    try (Stream<Path> files = Files.walk(ROOT.resolve("examples"))) {
      List<Path> manifests = new ArrayList<>();
      // kustomize patches are not whole jobs
      for (Path file :
          files
              .filter(f -> f.toString().endsWith(".yaml") && !f.toString().contains("/overlays/"))
              .toList()) {
        if (Files.readString(file).contains("kind: StateJob")) {
          manifests.add(file);
        }
      }
      assertThat(manifests).hasSizeGreaterThanOrEqualTo(15);
      return manifests.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("exampleManifests")
  void everyExampleManifestIsAcceptedBySchemaAndRules(Path manifest) throws Exception {
    assertThat(CrdSchema.generated().problems(Files.readString(manifest))).isEmpty();
  }

  private static String resource(String spec) {
    return """
        apiVersion: statejob.io/v1alpha1
        kind: StateJob
        metadata: {name: sample}
        spec:
          job: {className: com.example.Job}
        """
        + spec.indent(2);
  }

  static Stream<Arguments> invalidResources() {
    return Stream.of(
        Arguments.of("stateBackend: {type: rocksdb}", "need checkpoints.uri"),
        Arguments.of("stateBackend: {type: filesystem}", "need checkpoints.uri"),
        Arguments.of(
            "stateBackend: {type: filesystem, incremental: true}\ncheckpoints: {uri: file:///c}",
            "incremental checkpoints exist only for the rocksdb backend"),
        Arguments.of("stateBackend: {incremental: false}", "only for the rocksdb backend"),
        Arguments.of(
            "stateBackend: {type: rocksdb, maxStateSize: 5Mi}\ncheckpoints: {uri: file:///c}",
            "maxStateSize applies only to the memory backend"),
        Arguments.of("stateBackend: {type: custom}", "factoryClass is required for type custom"),
        Arguments.of(
            "stateBackend: {type: memory, factoryClass: com.example.F}",
            "factoryClass is required for type custom"),
        Arguments.of(
            "stateBackend: {type: rocksdb, asyncSnapshots: false}\ncheckpoints: {uri: s3a://b/c}",
            "always asynchronous"),
        Arguments.of(
            "stateBackend: {type: memory, localStorage: {size: 1Gi}}", "localStorage is used only"),
        Arguments.of("parallelism: 8\nmaxParallelism: 4", "must not exceed maxParallelism"),
        Arguments.of("parallelism: 200", "must not exceed maxParallelism"),
        Arguments.of("parallelism: 0", "minimum"),
        Arguments.of("stateBackend: {type: hashmap}", "enum"),
        Arguments.of("upgradeMode: latest", "enum"),
        Arguments.of("checkpoints: {uri: s3://bucket/c}", "write s3a://"),
        Arguments.of("checkpoints: {uri: 'https://host/c'}", "writable file system"),
        Arguments.of("checkpoints: {uri: /tmp/c}", "pattern"),
        Arguments.of("checkpoints: {interval: 10}", "integer"),
        Arguments.of("checkpoints: {interval: ten seconds}", "pattern"),
        Arguments.of("checkpoints: {retained: 0}", "minimum"),
        Arguments.of("checkpoints: {retained: 3000000000}", "maximum"),
        Arguments.of("checkpoints: {tolerableFailures: 3000000000}", "maximum"),
        Arguments.of("stateBackend: {maxStateSize: lots}", "pattern"),
        Arguments.of("job: {className: 'not a class'}", "pattern"),
        Arguments.of("job: {args: [a]}", "className"));
  }

  /** A spec written on one line: {@code ;} separates its lines, {@code none} is no field. */
  private static String specOf(String line) {
    return line.equals("none") ? "" : line.replace(";", "\n");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "maxParallelism: 128 | maxParallelism: 256 | maxParallelism cannot change",
        "none | maxParallelism: 64 | maxParallelism cannot change",
        "checkpoints: {uri: 's3a://b/one'} | checkpoints: {uri: 's3a://b/two'}"
            + " | checkpoints.uri cannot change",
        "checkpoints: {uri: 's3a://b/one'} | none | checkpoints.uri cannot change",
      })
  void changesThatWouldStrandTheStateAreRefusedOnUpdate(String before, String after, String reason)
      throws Exception {
    CrdSchema schema = CrdSchema.generated();
    String updated = resource(specOf(after));
    assertThat(schema.problems(updated)).as("as a new resource").isEmpty();
    assertThat(String.join("\n", schema.problems(resource(specOf(before)), updated)))
        .contains(reason)
        .contains("upgradeMode: stateless");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "maxParallelism: 128 | maxParallelism: 128;parallelism: 4",
        "none | checkpoints: {uri: 's3a://b/new'}",
        "maxParallelism: 128 | maxParallelism: 256;upgradeMode: stateless",
        "checkpoints: {uri: 's3a://b/one'} | checkpoints: {uri: 's3a://b/two'};upgradeMode:"
            + " stateless",
      })
  void changesThatKeepTheStateOrStartOverAreAccepted(String before, String after) throws Exception {
    assertThat(CrdSchema.generated().problems(resource(specOf(before)), resource(specOf(after))))
        .isEmpty();
  }

  @ParameterizedTest
  @MethodSource("invalidResources")
  void invalidResourcesAreRejectedWithTheirReason(String spec, String reason) throws Exception {
    assertThat(String.join("\n", CrdSchema.generated().problems(resource(spec)))).contains(reason);
  }

  @Test
  void aFullRocksdbSpecIsAcceptedAndTheDefaultsFillTheRest() throws Exception {
    String spec =
        """
        parallelism: 4
        maxParallelism: 256
        stateBackend:
          type: rocksdb
          incremental: true
          localStorage: {size: 10Gi, storageClassName: fast}
        checkpoints: {uri: s3a://bucket/ckpt, interval: 30s, timeout: 10m, retained: 3}
        storage: {s3: {endpoint: 'http://minio:9000', pathStyleAccess: true, credentialsSecret: s3}}
        upgradeMode: savepoint
        config: {state.backend.rocksdb.localdir: /data}
        """;
    assertThat(CrdSchema.generated().problems(resource(spec))).isEmpty();
    assertThat(CrdSchema.generated().problems(resource("stateBackend: {type: memory}"))).isEmpty();
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "file:///c",
        "s3a://bucket/c",
        "hdfs://namenode:40010/flink/checkpoints",
        "hdfs:///flink/checkpoints",
        "gs://bucket/c"
      })
  void checkpointUrisOfAnyFileSystemSchemeAreAccepted(String uri) throws Exception {
    assertThat(
            CrdSchema.generated()
                .problems(
                    resource(
                        "stateBackend: {type: filesystem}\ncheckpoints: {uri: '" + uri + "'}")))
        .isEmpty();
  }
}
