package io.statejob.runtime.state.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyGroupMapTest {
  private static final int KEYS = 50_000;

  /** Small segments, so the tests split many. */
  private static final int CAPACITY = 256;

  private static Map<Object, Object> contents(KeyGroupMap.Frozen frozen) {
    Map<Object, Object> seen = new HashMap<>();
    frozen.forEach((key, value) -> assertThat(seen.put(key, value)).as("each key once").isNull());
    assertThat(frozen.size()).isEqualTo(seen.size());
    return seen;
  }

  @Test
  void segmentsSplitAsTheMapGrowsAndEveryEntryStaysReachable() {
    KeyGroupMap map = new KeyGroupMap(CAPACITY);
    for (long key = 0; key < KEYS; key++) {
      map.put(key, key * 2);
    }
    assertThat(map.segments())
        .as("no segment above its capacity")
        .isGreaterThanOrEqualTo(KEYS / CAPACITY);
    for (long key = 0; key < KEYS; key += 2) {
      map.remove(key);
    }
    for (long key = 0; key < KEYS; key++) {
      assertThat(map.get(key)).isEqualTo(key % 2 == 0 ? null : key * 2);
    }
    Map<Object, Object> live = contents(map.pin(new SnapshotLease()));
    assertThat(live).hasSize(KEYS / 2);
  }

  @Test
  void aPinnedSnapshotSeesTheEntriesOfItsMomentWhileWritesGoOn() {
    KeyGroupMap map = new KeyGroupMap(CAPACITY);
    for (long key = 0; key < KEYS; key++) {
      map.put(key, "v0");
      map.mutable("list-" + key % 100, ArrayList::new, v -> new ArrayList<>((List<?>) v));
    }
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) map.mutable("list-7", ArrayList::new, v -> v);
    list.add("before");
    SnapshotLease lease = new SnapshotLease();
    KeyGroupMap.Frozen frozen = map.pin(lease);
    Map<Object, Object> atPin = contents(frozen);

    // updates, inserts that split segments, removals, and a mutable value changed in place
    for (long key = 0; key < KEYS; key += 3) {
      map.put(key, "v1");
      map.remove(key + 1);
    }
    for (long key = KEYS; key < 2 * KEYS; key++) {
      map.put(key, "new");
    }
    @SuppressWarnings("unchecked")
    List<Object> changed =
        (List<Object>) map.mutable("list-7", ArrayList::new, v -> new ArrayList<>((List<?>) v));
    changed.add("after");

    assertThat(contents(frozen)).isEqualTo(atPin);
    assertThat(atPin.get("list-7")).isEqualTo(List.of("before"));
    assertThat(map.get("list-7")).isEqualTo(List.of("before", "after"));
    assertThat(map.get(3L)).isEqualTo("v1");
    assertThat(map.get(4L)).isNull();
    assertThat(map.get(KEYS + 5L)).isEqualTo("new");

    // once released, a mutable value is changed in place again
    lease.release();
    @SuppressWarnings("unchecked")
    List<Object> again = (List<Object>) map.mutable("list-7", ArrayList::new, v -> v);
    assertThat(again).isSameAs(changed);
  }

  @Test
  void randomOperationsWithOverlappingSnapshotsMatchAPlainMap() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    KeyGroupMap map = new KeyGroupMap(CAPACITY);
    Map<Object, Object> expected = new HashMap<>();
    List<SnapshotLease> leases = new ArrayList<>();
    List<KeyGroupMap.Frozen> frozen = new ArrayList<>();
    List<Map<Object, Object>> frozenExpected = new ArrayList<>();
    for (int op = 0; op < 200_000; op++) {
      // 512 hash codes for 10,000 keys: probe chains of equal hashes
      Object key = new Colliding(random.nextInt(10_000), 512);
      int choice = random.nextInt(100);
      if (choice < 55) {
        map.put(key, op);
        expected.put(key, op);
      } else if (choice < 85) {
        map.remove(key);
        expected.remove(key);
      } else if (choice < 99) {
        assertThat(map.get(key)).isEqualTo(expected.get(key));
      } else if (random.nextBoolean() || leases.isEmpty()) {
        SnapshotLease lease = new SnapshotLease();
        leases.add(lease);
        frozen.add(map.pin(lease));
        frozenExpected.add(new HashMap<>(expected));
      } else {
        // snapshots may end in any order
        int oldest = random.nextInt(leases.size());
        assertThat(contents(frozen.remove(oldest))).isEqualTo(frozenExpected.remove(oldest));
        leases.remove(oldest).release();
      }
    }
    for (int i = 0; i < frozen.size(); i++) {
      assertThat(contents(frozen.get(i))).isEqualTo(frozenExpected.get(i));
    }
    assertThat(contents(map.pin(new SnapshotLease()))).isEqualTo(expected);
  }

  @Test
  void keysThatAllShareOneHashCodeStillWork() {
    KeyGroupMap map = new KeyGroupMap(CAPACITY);
    int keys = CAPACITY + 1_000;
    for (int i = 0; i < keys; i++) {
      map.put(new Colliding(i, 1), i);
    }
    for (int i = 0; i < keys; i += 2) {
      map.remove(new Colliding(i, 1));
    }
    for (int i = 0; i < keys; i++) {
      assertThat(map.get(new Colliding(i, 1))).isEqualTo(i % 2 == 0 ? null : i);
    }
  }

  /** A key with one of {@code codes} hash codes. */
  private record Colliding(int id, int codes) {
    @Override
    public int hashCode() {
      return id % codes;
    }
  }
}
