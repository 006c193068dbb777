package io.statejob.api.validation;

import java.util.List;

/**
 * Problems found in a StateJob. Errors make it unusable; warnings (such as unknown config keys) are
 * reported and the job still runs.
 *
 * @param errors one line per problem, each naming the field
 * @param warnings one line per doubtful field
 */
public record ValidationResult(List<String> errors, List<String> warnings) {
  public boolean isValid() {
    return errors.isEmpty();
  }
}
