package io.statejob.runtime.state.rocksdb;

import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.serialization.VoidNamespace;
import io.statejob.runtime.state.NamespacedState;
import io.statejob.runtime.state.rocksdb.database.RocksDBColumn;
import io.statejob.runtime.state.rocksdb.database.RocksDBInstance;
import java.io.IOException;
import org.rocksdb.RocksDBException;

/** Common row access of RocksDB states for the current key. */
abstract class AbstractRocksDBState implements NamespacedState {
  final RocksDBKeyedStateBackend<?> backend;
  final RocksDBInstance db;
  final RocksDBColumn column;
  private Object namespace = VoidNamespace.INSTANCE;
  private final DataOutputBuffer namespacedKey = new DataOutputBuffer(64);

  AbstractRocksDBState(RocksDBKeyedStateBackend<?> backend, RocksDBColumn column) {
    this.backend = backend;
    this.db = backend.instance();
    this.column = column;
  }

  @Override
  public final void setCurrentNamespace(Object namespace) {
    this.namespace = namespace;
  }

  /** The row key of the current key and namespace; the void namespace adds no bytes. */
  final DataOutputBuffer key() {
    DataOutputBuffer key = backend.currentKeyBytes();
    if (namespace == VoidNamespace.INSTANCE) {
      return key;
    }
    namespacedKey.reset();
    try {
      namespacedKey.write(key.array(), 0, key.length());
      column.codec().namespaceSerializer().serialize(namespace, namespacedKey);
    } catch (IOException e) {
      throw failure(e);
    }
    return namespacedKey;
  }

  /** A failure naming the state and the key, so a person can find the record that caused it. */
  final IllegalStateException failure(Exception cause) {
    return new IllegalStateException(
        "state '"
            + column.meta().name()
            + "' for key "
            + backend.describeCurrentKey()
            + ": "
            + cause.getMessage(),
        cause);
  }

  /** The current key's value, or null. */
  final <T> T read(TypeSerializer<T> serializer) {
    try {
      DataOutputBuffer key = key();
      int length = db.get(column.handle(), key.array(), key.length());
      return length < 0 ? null : serializer.deserialize(db.lastValue(length));
    } catch (RocksDBException | IOException e) {
      throw failure(e);
    }
  }

  final <T> void write(TypeSerializer<T> serializer, T value) {
    try {
      backend.scratch.reset();
      serializer.serialize(value, backend.scratch);
      db.put(column.handle(), key(), backend.scratch);
    } catch (RocksDBException | IOException | IllegalStateException e) {
      throw failure(e);
    }
  }

  @Override
  public void clear() {
    try {
      db.delete(column.handle(), key());
      if (column.listGuard() != null) {
        column.listGuard().cleared(key());
      }
    } catch (RocksDBException e) {
      throw failure(e);
    }
  }
}
