package io.statejob.runtime.api;

/**
 * A part of a source that one reader reads from start to end: a datagen stream, a file, a Kafka
 * partition. Its id is stable across runs: a checkpoint stores each split's position under it.
 */
public record SourceSplit(String id) implements Comparable<SourceSplit> {
  public SourceSplit {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("a split needs an id");
    }
  }

  @Override
  public int compareTo(SourceSplit other) {
    return id.compareTo(other.id);
  }
}
