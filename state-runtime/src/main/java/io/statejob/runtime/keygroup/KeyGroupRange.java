package io.statejob.runtime.keygroup;

/**
 * A contiguous, inclusive range of key groups: the part of the key space one worker owns.
 *
 * @param start first key group
 * @param end last key group (inclusive); {@code end < start} means empty
 */
public record KeyGroupRange(int start, int end) {
  public static final KeyGroupRange EMPTY = new KeyGroupRange(0, -1);

  public int size() {
    return Math.max(0, end - start + 1);
  }

  public boolean contains(int keyGroup) {
    return keyGroup >= start && keyGroup <= end;
  }

  public KeyGroupRange intersect(KeyGroupRange other) {
    int s = Math.max(start, other.start);
    int e = Math.min(end, other.end);
    return e < s ? EMPTY : new KeyGroupRange(s, e);
  }

  @Override
  public String toString() {
    return "[" + start + ".." + end + "]";
  }
}
