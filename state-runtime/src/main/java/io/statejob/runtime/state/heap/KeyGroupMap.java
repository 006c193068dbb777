package io.statejob.runtime.state.heap;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The entries of one state in one key group, with copy-on-write against snapshots in segments of at
 * most {@value #SEGMENT_CAPACITY} entries, so a write never copies more than one segment (2 MiB of
 * arrays, a fraction of a millisecond): the task thread's pause for a checkpoint does not grow with
 * the state.
 *
 * <p>Segments form an extendible hash table: a directory of {@code 2^depth} slots, indexed by the
 * top bits of a mixed hash of the key, points at segments; a segment of local depth {@code d} holds
 * the keys whose top {@code d} bits are its prefix and fills {@code 2^(depth - d)} neighbouring
 * slots. A full segment splits in two; the directory doubles when the segment already uses all its
 * bits. Each segment is an open-addressing table indexed by the low bits of the same hash.
 *
 * <p>A snapshot {@linkplain #pin pins} the directory as it is. While the snapshot holds its lease,
 * the first write to a segment it shares copies that segment's arrays and bumps its epoch. Mutable
 * values (lists, maps, accumulators, changed in place) carry the epoch they were stored in, and one
 * from an older epoch may be shared with a snapshot, so it is copied before it changes. After the
 * lease is released, writes copy nothing.
 */
final class KeyGroupMap {
  static final int SEGMENT_CAPACITY = 65_536;

  /**
   * The deepest directory: 65,536 slots. Keys whose hashes share their top 16 bits, as with a
   * constant hash code, stay in one segment that grows past its capacity instead.
   */
  private static final int MAX_DEPTH = 16;

  /** The entries as a snapshot pinned them; never written again. */
  static final class Frozen {
    private final Segment[] directory;

    private Frozen(Segment[] directory) {
      this.directory = directory;
    }

    int size() {
      int size = 0;
      for (Segment segment : distinct(directory)) {
        size += segment.size;
      }
      return size;
    }

    void forEach(BiConsumer<Object, Object> action) {
      for (Segment segment : distinct(directory)) {
        segment.forEach(action);
      }
    }
  }

  private final int segmentCapacity;
  private Segment[] directory = {new Segment(Segment.MIN_SLOTS, 0, 0, 0)};
  private int depth;
  private int generation;
  private final List<SnapshotLease> leases = new ArrayList<>(1);

  KeyGroupMap() {
    this(SEGMENT_CAPACITY);
  }

  /** A map whose segments split above {@code segmentCapacity} entries; small in tests. */
  KeyGroupMap(int segmentCapacity) {
    this.segmentCapacity = segmentCapacity;
  }

  Object get(Object key) {
    int hash = hash(key);
    return directory[slot(hash)].get(key, hash);
  }

  void put(Object key, Object value) {
    int hash = hash(key);
    store(writable(hash), key, hash, value, 0);
  }

  /** Puts into {@code segment}, writable and the key's, splitting it when it grew too full. */
  private void store(Segment segment, Object key, int hash, Object value, int epoch) {
    if (segment.put(key, hash, value, epoch)
        && segment.size > segmentCapacity
        && segment.depth < MAX_DEPTH) {
      split(segment, hash);
    }
  }

  void remove(Object key) {
    int hash = hash(key);
    // values are never null: an absent key copies no segment
    if (directory[slot(hash)].get(key, hash) != null) {
      writable(hash).remove(key, hash);
    }
  }

  /**
   * The key's mutable value, safe to change in place: created when absent, copied when a snapshot
   * may still read it.
   */
  Object mutable(Object key, Supplier<Object> create, UnaryOperator<Object> copy) {
    int hash = hash(key);
    Segment segment = writable(hash);
    int slot = segment.indexOf(key, hash);
    if (slot < 0) {
      Object created = create.get();
      store(segment, key, hash, created, segment.epoch);
      return created;
    }
    if (segment.epochs[slot] != segment.epoch) { // stored before a pin: a snapshot may read it
      segment.entries[2 * slot + 1] = copy.apply(segment.entries[2 * slot + 1]);
      segment.epochs[slot] = segment.epoch;
    }
    return segment.entries[2 * slot + 1];
  }

  /** Stores a mutable value, stamped as writable in place. */
  void putMutable(Object key, Object value) {
    int hash = hash(key);
    Segment segment = writable(hash);
    store(segment, key, hash, value, segment.epoch);
  }

  /** Every entry of the live map; the action may not change the map. */
  void forEach(BiConsumer<Object, Object> action) {
    new Frozen(directory).forEach(action);
  }

  /** How many segments hold the entries. */
  int segments() {
    return distinct(directory).size();
  }

  /** Freezes the entries while {@code lease} is held and returns them. */
  Frozen pin(SnapshotLease lease) {
    leases.add(lease);
    generation++;
    return new Frozen(directory.clone());
  }

  private int slot(int hash) {
    return depth == 0 ? 0 : hash >>> (32 - depth);
  }

  /** The segment of {@code hash}, copied first when a snapshot still reads it. */
  private Segment writable(int hash) {
    Segment segment = directory[slot(hash)];
    if (segment.generation == generation || !snapshotRunning()) {
      return segment;
    }
    Segment copy = segment.copy(generation);
    replace(slot(hash), segment.depth, copy);
    return copy;
  }

  /** Whether a snapshot still reads segments made before the last pin. */
  private boolean snapshotRunning() {
    leases.removeIf(SnapshotLease::isReleased);
    return !leases.isEmpty();
  }

  /**
   * Splits a full segment, writable and so owned by this map, by the next bit of its keys' hash;
   * {@code hash} is one of them.
   */
  private void split(Segment full, int hash) {
    if (full.depth == depth) {
      Segment[] doubled = new Segment[directory.length * 2];
      for (int i = 0; i < doubled.length; i++) {
        doubled[i] = directory[i >> 1];
      }
      directory = doubled;
      depth++;
    }
    int childDepth = full.depth + 1;
    int slots = segmentCapacity;
    Segment low = new Segment(slots, childDepth, full.epoch, generation);
    Segment high = new Segment(slots, childDepth, full.epoch, generation);
    for (int i = 0; i < full.hashes.length; i++) {
      Object key = full.entries[2 * i];
      if (key != null) {
        int keyHash = full.hashes[i];
        Segment child = ((keyHash >>> (32 - childDepth)) & 1) == 0 ? low : high;
        child.put(key, keyHash, full.entries[2 * i + 1], full.epochs[i]);
      }
    }
    int first = slot(hash) & -(1 << (depth - full.depth));
    replace(first, childDepth, low);
    replace(first + (1 << (depth - childDepth)), childDepth, high);
  }

  /** Points the {@code 2^(depth - segmentDepth)} slots around {@code slot} at {@code segment}. */
  private void replace(int slot, int segmentDepth, Segment segment) {
    int span = 1 << (depth - segmentDepth);
    int first = slot & -span;
    for (int i = first; i < first + span; i++) {
      directory[i] = segment;
    }
  }

  /** Each segment of a directory once, in slot order. */
  private static List<Segment> distinct(Segment[] directory) {
    List<Segment> segments = new ArrayList<>();
    for (int slot = 0; slot < directory.length; ) {
      Segment segment = directory[slot];
      segments.add(segment);
      slot += directory.length >> segment.depth;
    }
    return segments;
  }

  /**
   * Murmur3's finalizer of the key's hash code: the directory uses its top bits, a segment the low.
   */
  private static int hash(Object key) {
    int hash = key.hashCode();
    hash ^= hash >>> 16;
    hash *= 0x85ebca6b;
    hash ^= hash >>> 13;
    hash *= 0xc2b2ae35;
    return hash ^ (hash >>> 16);
  }

  /**
   * An open-addressing hash table with linear probing, at most half full (so at most {@code 2 *
   * segmentCapacity} slots unless its keys cannot be split): each key beside its value in one
   * array, and its hash in another, so a lookup reads the two arrays and the key itself.
   */
  private static final class Segment {
    static final int MIN_SLOTS = 8;

    int[] hashes;
    Object[] entries; // the key of slot i at 2i (null: a free slot), its value at 2i + 1

    /** The epoch each slot's value was stored in, for mutable values. */
    int[] epochs;

    int size;
    final int depth;

    /** The epoch a mutable value must carry to be written in place. */
    final int epoch;

    /** The pin this segment was made after: older ones may be shared with a snapshot. */
    final int generation;

    Segment(int slots, int depth, int epoch, int generation) {
      this.hashes = new int[slots];
      this.entries = new Object[2 * slots];
      this.epochs = new int[slots];
      this.depth = depth;
      this.epoch = epoch;
      this.generation = generation;
    }

    /** A copy for writes after a pin; its mutable values may be shared, hence the new epoch. */
    Segment copy(int generation) {
      Segment copy = new Segment(0, depth, epoch + 1, generation);
      copy.hashes = hashes.clone();
      copy.entries = entries.clone();
      copy.epochs = epochs.clone();
      copy.size = size;
      return copy;
    }

    Object get(Object key, int hash) {
      int slot = indexOf(key, hash);
      return slot < 0 ? null : entries[2 * slot + 1];
    }

    /** The key's slot, or -1. */
    int indexOf(Object key, int hash) {
      int mask = hashes.length - 1;
      for (int i = hash & mask; ; i = (i + 1) & mask) {
        Object candidate = entries[2 * i];
        if (candidate == null) {
          return -1;
        }
        if (hashes[i] == hash && (candidate == key || candidate.equals(key))) {
          return i;
        }
      }
    }

    /** Returns true when the key was new. */
    boolean put(Object key, int hash, Object value, int epoch) {
      int mask = hashes.length - 1;
      int i = hash & mask;
      for (Object candidate; (candidate = entries[2 * i]) != null; i = (i + 1) & mask) {
        if (hashes[i] == hash && (candidate == key || candidate.equals(key))) {
          entries[2 * i + 1] = value;
          epochs[i] = epoch;
          return false;
        }
      }
      hashes[i] = hash;
      entries[2 * i] = key;
      entries[2 * i + 1] = value;
      epochs[i] = epoch;
      size++;
      if (size > hashes.length / 2) {
        resize(hashes.length * 2);
      }
      return true;
    }

    /** Removes the key, shifting back the entries that probed past its slot. */
    void remove(Object key, int hash) {
      int mask = hashes.length - 1;
      int free = hash & mask;
      for (Object candidate; ; free = (free + 1) & mask) {
        candidate = entries[2 * free];
        if (candidate == null) {
          return;
        }
        if (hashes[free] == hash && (candidate == key || candidate.equals(key))) {
          break;
        }
      }
      for (int i = (free + 1) & mask; entries[2 * i] != null; i = (i + 1) & mask) {
        int home = hashes[i] & mask;
        // the entry at i may move to the free slot unless its home lies in (free, i]
        boolean stays = free <= i ? free < home && home <= i : free < home || home <= i;
        if (!stays) {
          hashes[free] = hashes[i];
          entries[2 * free] = entries[2 * i];
          entries[2 * free + 1] = entries[2 * i + 1];
          epochs[free] = epochs[i];
          free = i;
        }
      }
      hashes[free] = 0;
      entries[2 * free] = null;
      entries[2 * free + 1] = null;
      size--;
    }

    void forEach(BiConsumer<Object, Object> action) {
      for (int i = 0; i < hashes.length; i++) {
        if (entries[2 * i] != null) {
          action.accept(entries[2 * i], entries[2 * i + 1]);
        }
      }
    }

    private void resize(int slots) {
      int[] oldHashes = hashes;
      Object[] oldEntries = entries;
      int[] oldEpochs = epochs;
      hashes = new int[slots];
      entries = new Object[2 * slots];
      epochs = new int[slots];
      size = 0;
      for (int i = 0; i < oldHashes.length; i++) {
        if (oldEntries[2 * i] != null) {
          put(oldEntries[2 * i], oldHashes[i], oldEntries[2 * i + 1], oldEpochs[i]);
        }
      }
    }
  }
}
