package io.statejob.runtime.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.testing.BackendHarness;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemoryStateBackendTest extends StateBackendTestBase {
  private Map<String, String> extra = Map.of();

  @Override
  protected RuntimeConfig config(Path dir) {
    return RuntimeConfig.of(Map.of("state.backend", "memory"))
        .overriddenBy(RuntimeConfig.of(extra));
  }

  @Test
  void snapshotsTravelInlineInTheAcknowledgement() throws Exception {
    BackendHarness h = harness(2);
    for (int i = 0; i < 100; i++) {
      writeAllKinds(h, "key-" + i, i);
    }
    assertThat(h.snapshot(1)).allSatisfy(ack -> assertThat(ack.stream().isInline()).isTrue());
  }

  @Test
  void aStateOverTheSizeLimitFailsTheCheckpointNamingStateSizeAndLimit() throws Exception {
    extra = Map.of("state.backend.memory.max-state-size", "4Ki");
    BackendHarness h = harness(1);
    ValueStateDescriptor<String> big = new ValueStateDescriptor<>("payload", Serializers.STRING);
    for (int i = 0; i < 100; i++) {
      h.<ValueState<String>>state("key-" + i, "sink.payload", big).update("x".repeat(100));
      h.<ValueState<Long>>state("key-" + i, "f.count", COUNT).update((long) i);
    }
    List<SubtaskState> acks = h.snapshot(1);
    assertThat(h.storage().checkAck(acks.get(0)))
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .contains("'sink.payload'")
                    .containsPattern("is 10\\.\\d KiB")
                    .contains("state.backend.memory.max-state-size = 4.0 KiB"));
  }

  @Test
  void statesUnderTheLimitPass() throws Exception {
    extra = Map.of("state.backend.memory.max-state-size", "1Mi");
    BackendHarness h = harness(1);
    writeAllKinds(h, "k", 1);
    assertThat(h.storage().checkAck(h.snapshot(1).get(0))).isEmpty();
  }
}
