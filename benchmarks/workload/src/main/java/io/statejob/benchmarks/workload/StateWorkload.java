package io.statejob.benchmarks.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The workload of the keyed-state benchmarks of {@code apache/flink-benchmarks} ({@code
 * org.apache.flink.state.benchmark}): 500,000 setup keys {@code 0..499,999} that hold state before
 * measuring, 500,000 new keys after them, 10 map keys, and 1,000,000 values, each list shuffled.
 * Each operation takes the next index into all of them. Seeded, so StateJob's and Flink's harness
 * run the same operations in the same order. Used by one benchmark thread.
 */
public final class StateWorkload {
  public static final int SETUP_KEYS = 500_000;
  public static final int NEW_KEYS = 500_000;
  public static final int MAP_KEYS = 10;
  public static final int LIST_VALUES = 100;
  private static final int RANDOM_VALUES = 1_000_000;

  private final SplittableRandom random = new SplittableRandom(42);
  private final long[] setupKeys = shuffledRange(0, SETUP_KEYS);
  private final long[] newKeys = shuffledRange(SETUP_KEYS, NEW_KEYS);
  private final long[] mapKeys = shuffledRange(0, MAP_KEYS);
  private final long[] values = shuffledRange(0, RANDOM_VALUES);
  private final double[] mapValues = random.doubles(MAP_KEYS).toArray();
  private final List<Long> listValues = new ArrayList<>(LIST_VALUES);
  private int index = -1;

  public StateWorkload() {
    random.longs(LIST_VALUES).forEach(listValues::add);
  }

  /** Moves to the next operation. */
  public void next() {
    index = index == Integer.MAX_VALUE ? 0 : index + 1;
  }

  /** A key that held state before measuring. */
  public long setupKey() {
    return setupKeys[index % SETUP_KEYS];
  }

  /** A key that held no state before measuring. */
  public long newKey() {
    return newKeys[index % NEW_KEYS];
  }

  public long mapKey() {
    return mapKeys[index % MAP_KEYS];
  }

  public double mapValue() {
    return mapValues[index % MAP_KEYS];
  }

  public long value() {
    return values[index % RANDOM_VALUES];
  }

  /** The map key at {@code i} in {@code [0, MAP_KEYS)}: setup puts each under every setup key. */
  public long mapKeyAt(int i) {
    return mapKeys[i];
  }

  /** A random value for filling state before measuring. */
  public long randomValue() {
    return random.nextLong();
  }

  /** The 100 values of {@code listAddAll}. */
  public List<Long> listValues() {
    return listValues;
  }

  private long[] shuffledRange(long first, int count) {
    long[] range = new long[count];
    for (int i = 0; i < count; i++) {
      range[i] = first + i;
    }
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long swap = range[i];
      range[i] = range[j];
      range[j] = swap;
    }
    return range;
  }
}
