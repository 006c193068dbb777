package io.statejob.api.model;

/**
 * A part of a StateJob the operator could not read and left unset.
 *
 * @param field its path, such as {@code spec.checkpoints.retained}
 * @param problem what was wrong with it
 * @param valueLost whether a value was given that the job would run without (an error), rather than
 *     a field this version does not know (a warning)
 */
public record ReadProblem(String field, String problem, boolean valueLost) {
  @Override
  public String toString() {
    return field + ": " + problem;
  }
}
