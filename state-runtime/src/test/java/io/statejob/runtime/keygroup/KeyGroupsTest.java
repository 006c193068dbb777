package io.statejob.runtime.keygroup;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.runtime.serialization.Serializers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeyGroupsTest {
  @ParameterizedTest(name = "{1} of {0} key groups")
  @CsvSource({"128, 1", "128, 3", "128, 7", "128, 128", "10, 4", "32768, 5"})
  void workerRangesPartitionTheKeyGroupsContiguously(int maxParallelism, int parallelism) {
    int next = 0;
    for (int i = 0; i < parallelism; i++) {
      KeyGroupRange range = KeyGroups.rangeFor(maxParallelism, parallelism, i);
      assertThat(range.start()).isEqualTo(next);
      assertThat(range.size())
          .isBetween(maxParallelism / parallelism, maxParallelism / parallelism + 1);
      next = range.end() + 1;
    }
    assertThat(next).isEqualTo(maxParallelism);
  }

  @ParameterizedTest
  @CsvSource({"128", "7"})
  void keysSpreadOverEveryKeyGroupDeterministically(int maxParallelism) {
    KeyGroups.Assigner<String> assigner =
        new KeyGroups.Assigner<>(Serializers.STRING, maxParallelism);
    KeyGroups.Assigner<String> other = new KeyGroups.Assigner<>(Serializers.STRING, maxParallelism);
    int[] hits = new int[maxParallelism];
    for (int i = 0; i < 100_000; i++) {
      int keyGroup = assigner.keyGroupOf("key-" + i);
      assertThat(other.keyGroupOf("key-" + i)).isEqualTo(keyGroup);
      hits[keyGroup]++;
    }
    int expected = 100_000 / maxParallelism;
    for (int count : hits) {
      assertThat(count).isBetween(expected * 8 / 10, expected * 12 / 10);
    }
  }

  @ParameterizedTest
  @CsvSource({"128", "32768"})
  void longKeysGetTheGroupOfTheMurmurHashOfTheirSerializedBytes(int maxParallelism)
      throws Exception {
    KeyGroups.Assigner<Long> assigner = new KeyGroups.Assigner<>(Serializers.LONG, maxParallelism);
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    io.statejob.runtime.serialization.DataOutputBuffer bytes =
        new io.statejob.runtime.serialization.DataOutputBuffer(8);
    for (int i = 0; i < 100_000; i++) {
      long key = i < 10 ? i - 5 : random.nextLong();
      bytes.reset();
      Serializers.LONG.serialize(key, bytes);
      int hash =
          org.apache.commons.codec.digest.MurmurHash3.hash32x86(
              bytes.array(), 0, bytes.length(), 0);
      assertThat(assigner.keyGroupOf(key)).isEqualTo(Math.floorMod(hash, maxParallelism));
    }
  }
}
