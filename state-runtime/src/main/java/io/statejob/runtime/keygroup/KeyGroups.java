package io.statejob.runtime.keygroup;

import io.statejob.runtime.serialization.DataOutputBuffer;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.serialization.TypeSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Assignment of keys to key groups and of key groups to workers. A key's group comes from the
 * murmur3 hash of its serialized form, so it is the same in every JVM and for every key type
 * (unlike {@code hashCode()} of enums or identity-hashed objects).
 */
public final class KeyGroups {
  private KeyGroups() {}

  /** The range worker {@code index} of {@code parallelism} owns, as Flink assigns it. */
  public static KeyGroupRange rangeFor(int maxParallelism, int parallelism, int index) {
    int start = (int) (((long) index * maxParallelism + parallelism - 1) / parallelism);
    int end = (int) (((long) (index + 1) * maxParallelism + parallelism - 1) / parallelism) - 1;
    return new KeyGroupRange(start, end);
  }

  /**
   * The worker of {@code parallelism} whose range holds {@code keyGroup}: the inverse of rangeFor.
   */
  public static int ownerOf(int maxParallelism, int parallelism, int keyGroup) {
    return (int) ((long) keyGroup * parallelism / maxParallelism);
  }

  /** Computes key groups of one key type, reusing a buffer: one per task thread. */
  public static final class Assigner<K> {
    private final TypeSerializer<K> keySerializer;
    private final int maxParallelism;
    private final DataOutputBuffer buffer = new DataOutputBuffer(64);

    public Assigner(TypeSerializer<K> keySerializer, int maxParallelism) {
      this.keySerializer = keySerializer;
      this.maxParallelism = maxParallelism;
    }

    public int keyGroupOf(K key) {
      if (keySerializer == Serializers.LONG) {
        // hash32(long, seed) is the hash of the long's 8 big-endian bytes, its serialized form,
        // without writing them
        return Math.floorMod(MurmurHash3.hash32((Long) key, 0), maxParallelism);
      }
      buffer.reset();
      try {
        keySerializer.serialize(key, buffer);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      int hash = MurmurHash3.hash32x86(buffer.array(), 0, buffer.length(), 0);
      return Math.floorMod(hash, maxParallelism);
    }
  }
}
