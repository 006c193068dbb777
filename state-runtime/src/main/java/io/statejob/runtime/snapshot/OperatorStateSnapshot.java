package io.statejob.runtime.snapshot;

import java.util.List;

/**
 * One operator list state as a snapshot holds it: serialized elements, so restore can redistribute
 * them without the job's classes.
 *
 * @param name scoped name ({@code uid.name})
 * @param mode how elements are redistributed when the parallelism changes
 * @param serializerId the element serializer's id
 * @param elements serialized elements
 */
public record OperatorStateSnapshot(
    String name, Mode mode, String serializerId, List<byte[]> elements) {

  /** Redistribution of operator state on rescale. */
  public enum Mode {
    /** The union of all lists is split evenly among the new instances. */
    SPLIT,
    /** Every new instance gets every element. */
    UNION
  }
}
