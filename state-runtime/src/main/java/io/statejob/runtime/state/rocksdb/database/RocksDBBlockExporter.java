package io.statejob.runtime.state.rocksdb.database;

import io.statejob.runtime.serialization.DataInputBuffer;
import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.VarInts;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;

/**
 * Turns the rows of a key group into a block in the backend-neutral format of {@link
 * io.statejob.runtime.state.StateBlockCodec}: full snapshots, dumps, and restores of RocksDB state
 * into heap backends all go through it. Values and keys are copied as bytes; only list rows (to
 * drop delimiters) and map keys (to find where the user key ends) are parsed.
 */
public final class RocksDBBlockExporter implements AutoCloseable {
  private final RocksDB db;
  private final ReadOptions readOptions;
  private final List<RocksDBColumn> columns;
  private final RocksIterator[] iterators;
  private final DataOutputBuffer entries = new DataOutputBuffer(4096);
  private final DataOutputBuffer pairs = new DataOutputBuffer(1024);
  private final DataInputBuffer in = new DataInputBuffer();

  public RocksDBBlockExporter(RocksDB db, ReadOptions readOptions, List<RocksDBColumn> columns) {
    this.db = db;
    this.readOptions = readOptions;
    this.columns = columns;
    this.iterators = new RocksIterator[columns.size()];
  }

  /** Writes the block of column {@code index} in {@code keyGroup}; false when it has no rows. */
  public boolean writeBlock(int index, int keyGroup, DataOutputBuffer out) throws IOException {
    RocksDBColumn column = columns.get(index);
    if (iterators[index] == null) {
      iterators[index] = db.newIterator(column.handle(), readOptions);
    }
    RocksIterator it = iterators[index];
    byte[] prefix = RocksDBFiles.keyGroupPrefix(keyGroup);
    entries.reset();
    int count = 0;
    int groupEnd = -1;
    byte[] group = null;
    int pairCount = 0;
    for (it.seek(prefix); it.isValid() && RocksDBFiles.startsWith(it.key(), prefix); it.next()) {
      byte[] row = it.key();
      byte[] value = it.value();
      switch (column.meta().kind()) {
        case LIST -> {
          entries.write(row, 2, row.length - 2);
          writeListElements(column, value);
          count++;
        }
        case MAP -> {
          int end = endOfKeyAndNamespace(column, row);
          if (group == null || !Arrays.equals(group, 0, groupEnd, row, 0, end)) {
            if (group != null) {
              flushGroup(group, groupEnd, pairCount);
              count++;
            }
            group = row;
            groupEnd = end;
            pairCount = 0;
            pairs.reset();
          }
          pairs.write(row, end, row.length - end);
          pairs.write(value);
          pairCount++;
        }
        default -> {
          entries.write(row, 2, row.length - 2);
          entries.write(value);
          count++;
        }
      }
    }
    if (group != null) {
      flushGroup(group, groupEnd, pairCount);
      count++;
    }
    if (count == 0) {
      return false;
    }
    VarInts.write(out, count);
    out.write(entries.array(), 0, entries.length());
    return true;
  }

  private void writeListElements(RocksDBColumn column, byte[] value) throws IOException {
    in.reset(value, 0, value.length);
    int[] bounds = new int[16];
    int n = 0;
    while (true) {
      int start = in.position();
      column.codec().valueSerializer().deserialize(in);
      if (2 * n + 2 > bounds.length) {
        bounds = Arrays.copyOf(bounds, bounds.length * 2);
      }
      bounds[2 * n] = start;
      bounds[2 * n + 1] = in.position();
      n++;
      if (in.available() == 0) {
        break;
      }
      in.readByte();
    }
    VarInts.write(entries, n);
    for (int i = 0; i < n; i++) {
      entries.write(value, bounds[2 * i], bounds[2 * i + 1] - bounds[2 * i]);
    }
  }

  /** Offset in {@code row} where the map key starts: after key group, key and namespace. */
  private int endOfKeyAndNamespace(RocksDBColumn column, byte[] row) throws IOException {
    in.reset(row, 2, row.length - 2);
    column.codec().keySerializer().deserialize(in);
    column.codec().namespaceSerializer().deserialize(in);
    return in.position();
  }

  private void flushGroup(byte[] row, int end, int pairCount) throws IOException {
    entries.write(row, 2, end - 2);
    VarInts.write(entries, pairCount);
    entries.write(pairs.array(), 0, pairs.length());
  }

  @Override
  public void close() {
    for (RocksIterator it : iterators) {
      if (it != null) {
        it.close();
      }
    }
  }
}
