package io.statejob.runtime.state;

import io.statejob.runtime.api.state.State;
import io.statejob.runtime.api.state.StateDescriptor;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.snapshot.KeyGroupBlockConsumer;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.StateMeta;
import java.io.Closeable;
import java.io.IOException;
import java.util.function.LongPredicate;

/**
 * Keyed state of one worker: the key groups of its range. The task thread sets the current key
 * before each record; state handles read and write the value of that key.
 */
public interface KeyedStateBackend<K> extends Closeable {
  /** Sets the key of the record being processed, with its precomputed key group. */
  void setCurrentKey(K key, int keyGroup);

  K getCurrentKey();

  int getCurrentKeyGroup();

  /**
   * The state named {@code scopedName}, created on first use and filled from restored blocks.
   *
   * @throws IllegalStateException when restored state of that name is incompatible
   */
  default State getOrCreateState(String scopedName, StateDescriptor descriptor) {
    return getOrCreateState(scopedName, descriptor, Serializers.VOID_NAMESPACE);
  }

  /** A state whose entries are scoped by key and namespace, such as window contents. */
  NamespacedState getOrCreateState(
      String scopedName, StateDescriptor descriptor, TypeSerializer<?> namespaceSerializer);

  /**
   * The incremental cleanup of a state with a time to live: visits about {@code budget} more
   * entries of the registered state {@code scopedName}, going on where the last call stopped and
   * starting over after the last, and removes those whose every timestamp {@code expired} accepts
   * (a value's, or each element's of a list or map).
   */
  void cleanUpExpired(String scopedName, int budget, LongPredicate expired);

  /**
   * Visits every key that has an entry in the registered state {@code scopedName}, once each, with
   * its key group. Keys are collected first, so the visitor may change state.
   */
  void forEachKey(String scopedName, KeyVisitor<K> visitor) throws Exception;

  /** Receives the keys of {@link #forEachKey}. */
  @FunctionalInterface
  interface KeyVisitor<K> {
    void accept(K key, int keyGroup) throws Exception;
  }

  /**
   * The synchronous part of a snapshot: freezes the current state. The returned snapshot is written
   * on another thread while processing goes on. A savepoint must be self-contained: it may not
   * refer to files of earlier snapshots.
   */
  KeyedStateSnapshot snapshot(long checkpointId, SnapshotType type) throws IOException;

  /**
   * Takes one restored block: the entries of one state in one key group, as a snapshot wrote them.
   * Called before any state is registered; a {@link KeyGroupBlockConsumer}.
   */
  void restoreBlock(StateMeta meta, int keyGroup, byte[] block) throws IOException;

  /**
   * Snapshot {@code checkpointId} completed: the files of a checkpoint may be referenced by the
   * next one.
   */
  default void notifyCheckpointComplete(long checkpointId) {}
}
