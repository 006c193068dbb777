package io.statejob.runtime.state.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.snapshot.IncrementalHandle;
import io.statejob.runtime.snapshot.StreamHandle;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.state.TtlTimeProvider;
import io.statejob.runtime.testing.BackendHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDBIncrementalCheckpointTest {
  private static final ValueStateDescriptor<String> PAYLOAD =
      new ValueStateDescriptor<>("payload", Serializers.STRING);

  @TempDir Path dir;

  private BackendHarness harness(int parallelism) throws Exception {
    return BackendHarness.open(
        BackendHarness.rocksDBConfig(dir, true), parallelism, TtlTimeProvider.SYSTEM);
  }

  /** Incompressible values, so file sizes track the amount of state. */
  private static void write(BackendHarness h, int from, int to, long seed) {
    java.util.Random random = new java.util.Random(seed);
    for (int i = from; i < to; i++) {
      byte[] bytes = new byte[75];
      random.nextBytes(bytes);
      h.<ValueState<String>>state("key-" + i, "f.payload", PAYLOAD)
          .update(java.util.Base64.getEncoder().encodeToString(bytes));
    }
  }

  @Test
  void aSmallUpdateUploadsASmallFractionAndReferencesUnchangedFiles() throws Exception {
    try (BackendHarness h = harness(1)) {
      write(h, 0, 30_000, 1);
      IncrementalHandle first = h.snapshot(1).get(0).incremental().orElseThrow();
      assertThat(first.uploadedBytes()).isEqualTo(first.totalBytes()).isGreaterThan(3_000_000);

      write(h, 0, 10, 2);
      IncrementalHandle second = h.snapshot(2).get(0).incremental().orElseThrow();
      assertThat(second.uploadedBytes()).isLessThan(second.totalBytes() / 20);
      assertSharesEveryFileOf(second, first);
      assertThat(second.sharedFiles()).hasSizeGreaterThan(first.sharedFiles().size());
    }
  }

  @Test
  void afterARestoreTheNextCheckpointStillUploadsOnlyNewFiles() throws Exception {
    List<SubtaskState> restoredFrom;
    try (BackendHarness h = harness(1)) {
      write(h, 0, 30_000, 3);
      restoredFrom = h.snapshot(1);
    }
    try (BackendHarness restored = harness(1).restore(restoredFrom, 1)) {
      assertThat(restored.<ValueState<String>>state("key-7", "f.payload", PAYLOAD).value())
          .hasSize(100);
      write(restored, 0, 5, 4);
      IncrementalHandle next = restored.snapshot(2).get(0).incremental().orElseThrow();
      assertThat(next.uploadedBytes()).isLessThan(next.totalBytes() / 20);
      assertSharesEveryFileOf(next, restoredFrom.get(0).incremental().orElseThrow());
    }
  }

  private static void assertSharesEveryFileOf(IncrementalHandle later, IncrementalHandle earlier) {
    for (Map.Entry<String, StreamHandle> file : earlier.sharedFiles().entrySet()) {
      assertThat(later.sharedFiles())
          .as("SST %s is referenced, not copied", file.getKey())
          .containsEntry(file.getKey(), file.getValue());
    }
  }
}
