package io.statejob.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.provider.Arguments;

class ValidateCommandTest {
  @TempDir Path temp;

  private record Result(int exit, String out) {}

  private static Result validate(String... files) {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      int exit =
          StateJobCli.commandLine()
              .execute(
                  Stream.concat(Stream.of("validate"), Stream.of(files)).toArray(String[]::new));
      return new Result(exit, bytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  @Test
  void everyExampleManifestIsValid() throws Exception {
    // every StateJob under examples/, local and Kubernetes; kustomize patches are not whole jobs
    try (Stream<Path> manifests = Files.walk(Path.of("..", "examples"))) {
      String[] files =
          manifests
              .map(Path::toString)
              .filter(f -> f.endsWith(".yaml") && !f.contains("/overlays/"))
              .filter(f -> read(Path.of(f)).contains("kind: StateJob"))
              .toArray(String[]::new);
      assertThat(files).hasSizeGreaterThanOrEqualTo(15);
      Result result = validate(files);
      assertThat(result.exit()).as(result.out()).isZero();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void anInvalidManifestExitsNonZeroWithOneLinePerProblem() throws Exception {
    Path bad = temp.resolve("bad.yaml");
    Files.writeString(
        bad,
        "apiVersion: statejob.io/v1alpha1\nkind: StateJob\nmetadata: {name: j}\n"
            + "spec:\n  job: {className: a.B}\n  parallelism: 300\n  stateBackend: {type: rocksdb}\n");
    Result result = validate(bad.toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out().lines())
        .containsExactlyInAnyOrder(
            bad
                + ": spec.parallelism: 300 is greater than spec.maxParallelism 128; every worker"
                + " needs at least one key group",
            bad + ": spec.checkpoints.uri is required for the rocksdb and filesystem backends");
  }

  @Test
  void anUnreadableManifestNamesTheField() throws Exception {
    Path bad = temp.resolve("typo.yaml");
    Files.writeString(
        bad,
        "apiVersion: statejob.io/v1alpha1\nkind: StateJob\nmetadata: {name: j}\nspec:\n  stateBackend: {type: rockdb}\n");
    Result result = validate(bad.toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).contains(bad + ": spec.stateBackend.type: unknown value 'rockdb'");
  }

  private static final String HEADER = "apiVersion: statejob.io/v1alpha1\nkind: StateJob\n";

  private static Arguments text(String name, String yaml, String message) {
    return Arguments.of(name, yaml.getBytes(StandardCharsets.UTF_8), message);
  }

  static Stream<Arguments> hostileManifests() {
    byte[] binary = new byte[4096];
    new java.util.Random(7).nextBytes(binary);
    return Stream.of(
        text(
            "duplicate key",
            (HEADER + "metadata: {name: j}\nspec:\n  parallelism: 2\n  parallelism: 3\n"),
            "Duplicate field 'parallelism'"),
        text(
            "no apiVersion",
            "kind: StateJob\nmetadata: {name: j}\nspec: {job: {className: a.B}}\n",
            "apiVersion: required"),
        text("malformed YAML", (HEADER + "spec: [unclosed\n"), "not valid YAML"),
        text("spec of the wrong type", (HEADER + "metadata: {name: j}\nspec: 5\n"), "spec"),
        text("metadata of the wrong type", (HEADER + "metadata: [a]\n"), "metadata"),
        Arguments.of("binary file", binary, "not valid YAML"),
        text(
            "huge file",
            (HEADER + "# " + "x".repeat(2 * 1024 * 1024) + "\n"),
            "a StateJob manifest is at most"),
        Arguments.of("empty file", new byte[0], "empty"));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("hostileManifests")
  void hostileInputGetsOneClearLineAndANonZeroExit(String name, byte[] content, String message)
      throws Exception {
    Path file = Files.write(temp.resolve("hostile.yaml"), content);
    Result result = validate(file.toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out().lines())
        .singleElement()
        .asString()
        .startsWith(file + ": ")
        .contains(message);
  }

  @Test
  void aDirectoryIsNoManifest() {
    Result result = validate(temp.toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out().lines()).containsExactly(temp + ": is a directory, not a manifest");
  }
}
