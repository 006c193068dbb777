package io.statejob.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.statejob.operator.StateJobs;
import io.statejob.operator.config.OperatorConfig;
import io.statejob.operator.resources.DesiredResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The digest that tells whether an owned object is current is the same for the same desired object
 * in any JVM: otherwise a restarted operator, or the next leader, rewrites every object.
 */
class DesiredHashTest {
  private static final OperatorConfig OPERATOR =
      new OperatorConfig(
          "statejob-runtime:1",
          Map.of(),
          null,
          "1m",
          null,
          false,
          null,
          null,
          null,
          null,
          null,
          null);

  /** The digests of a rocksdb job's owned objects, one line each. */
  static String digests() {
    return DesiredResources.of(StateJobs.rocksdb("counts"), OPERATOR, "token")
        .inApplyOrder()
        .stream()
        .map(ResourceApplier::desiredHash)
        .collect(Collectors.joining("\n"));
  }

  /** Prints {@link #digests()}, for a second JVM. */
  public static void main(String[] args) {
    System.out.print(digests());
  }

  @Test
  void mapsInAnotherOrderGiveTheSameDigest() {
    HasMetadata inOneOrder =
        DesiredResources.of(StateJobs.memory("m"), OPERATOR, "token").workers();
    HasMetadata inTheOther =
        DesiredResources.of(StateJobs.memory("m"), OPERATOR, "token").workers();
    List<String> keys = new ArrayList<>(inOneOrder.getMetadata().getLabels().keySet());
    Collections.reverse(keys);
    Map<String, String> labels = new LinkedHashMap<>();
    keys.forEach(k -> labels.put(k, inOneOrder.getMetadata().getLabels().get(k)));
    inTheOther.getMetadata().setLabels(labels);

    assertThat(List.copyOf(inTheOther.getMetadata().getLabels().keySet()))
        .isNotEqualTo(List.copyOf(inOneOrder.getMetadata().getLabels().keySet()));
    assertThat(ResourceApplier.desiredHash(inTheOther))
        .isEqualTo(ResourceApplier.desiredHash(inOneOrder));
  }

  @Test
  void anotherJvmComputesTheSameDigests() throws IOException, InterruptedException {
    Process other =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                DesiredHashTest.class.getName())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String theirs = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(other.waitFor()).isZero();
    assertThat(theirs).isEqualTo(digests());
  }
}
