package io.statejob.runtime.state.rocksdb.database;

import io.statejob.runtime.serialization.DataOutputBuffer;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;

/**
 * The byte size of each list row, as its size column family holds it, cached in front of it: an add
 * reads a size at most once (the first time its key is seen) and writes none, where going to
 * RocksDB would cost a read and a write per add beside the merge. Changed sizes go to the column
 * family at {@link #flush}, before each snapshot, and when the cache is full ({@code
 * state.backend.rocksdb.list-size-cache} keys). Used from the task thread only, as the state is.
 */
public final class ListSizes {
  private final RocksDBInstance db;
  private final ColumnFamilyHandle column;
  private final Map<RowKey, Entry> cache = new HashMap<>();
  private final RowKey probe = new RowKey(new byte[0], 0);
  private final DataOutputBuffer sizeKey = new DataOutputBuffer(64);
  private final DataOutputBuffer sizeValue = new DataOutputBuffer(8);
  private int dirty;

  ListSizes(RocksDBInstance db, ColumnFamilyHandle column) {
    this.db = db;
    this.column = column;
  }

  /** The size of row {@code key}, or -1 when the list is empty. */
  public long get(DataOutputBuffer key) throws RocksDBException, IOException {
    Entry cached = cache.get(probe.of(key));
    if (cached != null) {
      return cached.bytes;
    }
    int length = db.get(column, key.array(), key.length());
    long bytes = length < 0 ? -1 : db.lastValue(length).readLong();
    remember(key, bytes, false);
    return bytes;
  }

  /** Row {@code key} is now {@code bytes} long; -1: the list was cleared. */
  public void set(DataOutputBuffer key, long bytes) throws RocksDBException {
    remember(key, bytes, true);
  }

  /** Writes the changed sizes to the column family. */
  public void flush() throws RocksDBException {
    if (dirty == 0) {
      return;
    }
    for (Map.Entry<RowKey, Entry> entry : cache.entrySet()) {
      Entry size = entry.getValue();
      if (!size.dirty) {
        continue;
      }
      try {
        sizeKey.reset();
        sizeKey.write(entry.getKey().bytes, 0, entry.getKey().length);
        sizeValue.reset();
        sizeValue.writeLong(size.bytes);
      } catch (IOException e) {
        throw new IllegalStateException(e); // in-memory buffers
      }
      if (size.bytes < 0) {
        db.delete(column, sizeKey);
      } else {
        db.put(column, sizeKey, sizeValue);
      }
      size.dirty = false;
    }
    dirty = 0;
  }

  private void remember(DataOutputBuffer key, long bytes, boolean changed) throws RocksDBException {
    Entry entry = cache.get(probe.of(key));
    if (entry == null) {
      // a full cache is flushed and emptied
      if (cache.size() >= db.settings().listSizeCache()) {
        flush();
        cache.clear();
      }
      entry = new Entry();
      cache.put(new RowKey(Arrays.copyOf(key.array(), key.length()), key.length()), entry);
    }
    entry.bytes = bytes;
    if (changed && !entry.dirty) {
      entry.dirty = true;
      dirty++;
    }
  }

  /** How many sizes are cached now. */
  public int cached() {
    return cache.size();
  }

  private static final class Entry {
    long bytes;
    boolean dirty;
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
