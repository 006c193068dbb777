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
}
