package io.statejob.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.testing.BackendHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileSystemStateBackendTest extends StateBackendTestBase {
  @Override
  protected RuntimeConfig config(Path dir) {
    return RuntimeConfig.of(
        Map.of(
            "state.backend", "filesystem",
            "state.checkpoints.dir", dir.toUri().toString(),
            "state.storage.fs.memory-threshold", "1Ki"));
  }

  @Test
  void largeSnapshotsGoToFilesAndSmallOnesStayInline() throws Exception {
    BackendHarness h = harness(2);
    for (int i = 0; i < 500; i++) {
      writeAllKinds(h, "key-" + i, i);
    }
    assertThat(h.snapshot(1))
        .allSatisfy(
            ack -> {
              assertThat(ack.stream().isInline()).isFalse();
              assertThat(Files.size(Path.of(java.net.URI.create(ack.stream().path()))))
                  .isEqualTo(ack.stream().size());
            });
    BackendHarness small = harness(1);
    writeAllKinds(small, "k", 1);
    assertThat(small.snapshot(2).get(0).stream().isInline()).isTrue();
  }
}
