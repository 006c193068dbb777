package io.statejob.runtime.state.rocksdb.database;

import io.statejob.runtime.serialization.DataOutputBuffer;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Keeps every list of one list state under the value limit ({@link RocksDBSettings#maxValueSize}),
 * without a read or a write per add: RocksDB appends an element with a merge, and a row past 2^31
 * bytes would be written fine but could never be read back into Java.
 *
 * <p>Per key group it keeps an upper bound on the size of any of its lists: the largest list found
 * by the last scan of the group's rows plus every byte added since. An add that keeps the bound
 * under the limit is safe, which is all of them as long as lists stay small. When the bound reaches
 * the limit, the group is scanned again (row lengths only; once per gigabyte or so added to a
 * group), and the lists found larger than a quarter of the limit are then tracked one by one,
 * exactly. Bounds go to a column family at each snapshot, one row per key group, so a restored or
 * rescaled job starts from them; a group without a bound row is scanned on its first add. Used from
 * the task thread only, as the state is.
 */
public final class ListSizeGuard {
  private final RocksDBInstance db;
  private final ColumnFamilyHandle lists;
  private final ColumnFamilyHandle bounds;
  private final long limit;
  private final long largeList;
  private Group[] groups = new Group[0];
  private final RowKey probe = new RowKey(new byte[0], 0);
  private final DataOutputBuffer boundKey = new DataOutputBuffer(2);
  private final DataOutputBuffer boundValue = new DataOutputBuffer(8);
  private final byte[] lengthProbe = new byte[8];
  private long scans;

  ListSizeGuard(RocksDBInstance db, ColumnFamilyHandle lists, ColumnFamilyHandle bounds) {
    this.db = db;
    this.lists = lists;
    this.bounds = bounds;
    this.limit = db.settings().maxValueSize();
    this.largeList = limit / 4;
  }

  /** What is known of the lists of one key group. */
  private static final class Group {
    /** No list of the group outside {@link #large} is longer. */
    long bound;

    /** Exact sizes of the lists the last scan found longer than a quarter of the limit. */
    Map<RowKey, long[]> large;

    /** Changed since the bound row was last written. */
    boolean dirty;
  }

  /**
   * Elements of {@code bytes} are about to be appended to row {@code key}.
   *
   * @throws IllegalStateException when the list would grow past the limit; nothing is written
   */
  public void beforeAppend(DataOutputBuffer key, long bytes) throws RocksDBException, IOException {
    int keyGroup = RocksDBFiles.keyGroupOf(key.array());
    Group group = group(keyGroup);
    long grows = bytes + 1; // and a delimiter, unless the list is empty
    long[] exact = exactSize(group, key);
    if (exact == null && group.bound + grows > limit) {
      scan(keyGroup, group);
      exact = exactSize(group, key);
      if (exact == null && group.bound + grows > limit) {
        // a single append of most of the limit: the list's own length decides
        check(rowLength(key) + grows);
      }
    }
    if (exact != null) {
      check(exact[0] + grows);
      exact[0] += grows;
    } else {
      group.bound += grows;
    }
    group.dirty = true;
  }

  /** Row {@code key} was replaced by a list of {@code bytes}, at most the limit. */
  public void replaced(DataOutputBuffer key, long bytes) throws RocksDBException, IOException {
    check(bytes);
    Group group = group(RocksDBFiles.keyGroupOf(key.array()));
    long[] exact = exactSize(group, key);
    if (exact != null) {
      exact[0] = bytes;
    } else if (bytes > largeList) {
      large(group)
          .put(
              new RowKey(Arrays.copyOf(key.array(), key.length()), key.length()),
              new long[] {bytes});
    } else {
      group.bound = Math.max(group.bound, bytes);
    }
    group.dirty = true;
  }

  /** Row {@code key} was deleted. */
  public void cleared(DataOutputBuffer key) {
    int keyGroup = RocksDBFiles.keyGroupOf(key.array());
    Group group = keyGroup < groups.length ? groups[keyGroup] : null;
    if (group != null && group.large != null) {
      group.large.remove(probe.of(key));
    }
  }

  /** Writes the bounds that changed since the last time: before a snapshot. */
  public void flush() throws RocksDBException {
    for (int keyGroup = 0; keyGroup < groups.length; keyGroup++) {
      Group group = groups[keyGroup];
      if (group == null || !group.dirty) {
        continue;
      }
      long bound = group.bound;
      if (group.large != null) {
        for (long[] size : group.large.values()) {
          bound = Math.max(bound, size[0]);
        }
      }
      try {
        boundKey.reset();
        boundKey.write(RocksDBFiles.keyGroupPrefix(keyGroup)); // the row group() reads
        boundValue.reset();
        boundValue.writeLong(bound);
      } catch (IOException e) {
        throw new IllegalStateException(e); // in-memory buffers
      }
      db.put(bounds, boundKey, boundValue);
      group.dirty = false;
    }
  }

  /** How many times key groups were scanned for their lists' lengths. */
  public long scans() {
    return scans;
  }

  private void check(long bytes) {
    if (bytes > limit) {
      throw new IllegalStateException(
          "the list would grow to "
              + bytes
              + " bytes, past the "
              + limit
              + "-byte limit of one RocksDB value that Java can read (2^31 bytes less JVM"
              + " overhead); keep lists shorter, for example in MapState");
    }
  }

  private long[] exactSize(Group group, DataOutputBuffer key) {
    return group.large == null ? null : group.large.get(probe.of(key));
  }

  private static Map<RowKey, long[]> large(Group group) {
    if (group.large == null) {
      group.large = new HashMap<>();
    }
    return group.large;
  }

  /** The group's state, read from its bound row or a scan the first time. */
  private Group group(int keyGroup) throws RocksDBException, IOException {
    if (keyGroup >= groups.length) {
      groups = Arrays.copyOf(groups, Math.max(keyGroup + 1, groups.length * 2));
    }
    Group group = groups[keyGroup];
    if (group == null) {
      group = groups[keyGroup] = new Group();
      byte[] prefix = RocksDBFiles.keyGroupPrefix(keyGroup);
      int length = db.get(bounds, prefix, prefix.length);
      if (length < 0) {
        scan(keyGroup, group);
      } else {
        group.bound = db.lastValue(length).readLong();
      }
    }
    return group;
  }

  /** Reads the length of every list of the group: the largest small one, and each large one. */
  private void scan(int keyGroup, Group group) {
    scans++;
    byte[] prefix = RocksDBFiles.keyGroupPrefix(keyGroup);
    group.bound = 0;
    group.large = null;
    try (RocksIterator rows = db.db().newIterator(lists, db.resources().readOptions)) {
      for (rows.seek(prefix); rows.isValid(); rows.next()) {
        byte[] key = rows.key();
        if (!RocksDBFiles.startsWith(key, prefix)) {
          break;
        }
        long length = rows.value(lengthProbe); // the full length; only a few bytes are copied
        if (length > largeList) {
          large(group).put(new RowKey(key, key.length), new long[] {length});
        } else {
          group.bound = Math.max(group.bound, length);
        }
      }
    }
    group.dirty = true;
  }

  /** The length of row {@code key}, without copying more than a few bytes of it. */
  private long rowLength(DataOutputBuffer key) throws RocksDBException {
    int length =
        db.db()
            .get(
                lists,
                db.resources().readOptions,
                key.array(),
                0,
                key.length(),
                lengthProbe,
                0,
                lengthProbe.length);
    return Math.max(0, length);
  }

  /** A row key's bytes {@code [0, length)}; the probe is reset to each key looked up. */
  private static final class RowKey {
    private byte[] bytes;
    private int length;
    private int hash;

    RowKey(byte[] bytes, int length) {
      set(bytes, length);
    }

    RowKey of(DataOutputBuffer key) {
      set(key.array(), key.length());
      return this;
    }

    private void set(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
      int h = 1;
      for (int i = 0; i < length; i++) {
        h = 31 * h + bytes[i];
      }
      this.hash = h;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof RowKey key
          && key.length == length
          && Arrays.equals(bytes, 0, length, key.bytes, 0, key.length);
    }
  }
}
