package io.statejob.runtime.cli;

import io.statejob.api.model.StateJobManifests;
import io.statejob.api.validation.StateJobValidator;
import io.statejob.api.validation.ValidationResult;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code statejob validate}: the operator's validation, for CI pipelines. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Validates StateJob manifests; exits 1 and prints one line per problem.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "MANIFEST")
  List<Path> manifests;

  @Override
  public Integer call() {
    boolean valid = true;
    for (Path manifest : manifests) {
      try {
        ValidationResult result = StateJobValidator.validate(StateJobManifests.read(manifest));
        result.warnings().forEach(w -> System.out.println(manifest + ": warning: " + w));
        result.errors().forEach(e -> System.out.println(manifest + ": " + e));
        if (result.isValid()) {
          System.out.println(manifest + ": valid");
        } else {
          valid = false;
        }
      } catch (StateJobManifests.ManifestException e) {
        System.out.println(e.getMessage());
        valid = false;
      }
    }
    return valid ? 0 : 1;
  }
}
