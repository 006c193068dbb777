package io.statejob.runtime.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.api.protocol.SnapshotReport;
import io.statejob.api.protocol.SnapshotReport.State;
import io.statejob.api.protocol.SnapshotRequest;
import io.statejob.runtime.snapshot.CheckpointMetadata;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.SnapshotType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SnapshotRequestsTest {
  private final List<CompletableFuture<CompletedCheckpoint>> triggered = new ArrayList<>();
  private final SnapshotRequests requests =
      new SnapshotRequests(
          request -> {
            CompletableFuture<CompletedCheckpoint> savepoint = new CompletableFuture<>();
            triggered.add(savepoint);
            return savepoint;
          });

  private static CompletedCheckpoint savepoint(long id) {
    return new CompletedCheckpoint(
        new CheckpointMetadata(
            "job",
            id,
            10,
            30,
            "rocksdb",
            128,
            1,
            List.of(),
            Map.of(),
            false,
            SnapshotType.SAVEPOINT,
            0),
        "file:/ckpt/job/savepoints/sp-" + id);
  }

  @Test
  void askingAgainReportsOnTheSameSavepoint() {
    assertThat(requests.request(new SnapshotRequest("nonce-1", false)).state())
        .isEqualTo(State.IN_PROGRESS);
    assertThat(requests.request(new SnapshotRequest("nonce-1", true)).state())
        .isEqualTo(State.IN_PROGRESS);
    triggered.get(0).complete(savepoint(4));

    SnapshotReport report = requests.request(new SnapshotRequest("nonce-1", false));
    assertThat(report.state()).isEqualTo(State.COMPLETED);
    assertThat(report.snapshot().id).isEqualTo(4);
    assertThat(report.snapshot().type).isEqualTo("savepoint");
    assertThat(report.snapshot().durationMs).isEqualTo(20);
    assertThat(requests.get("nonce-1")).get().extracting(r -> r.snapshot().id).isEqualTo(4L);
    assertThat(triggered).hasSize(1);
  }

  @Test
  void aFailedRequestKeepsReportingItsFailureUnlessARetryIsAskedFor() {
    requests.request(new SnapshotRequest("upgrade-3", true));
    triggered.get(0).completeExceptionally(new IllegalStateException("savepoint 5 failed: disk"));

    SnapshotReport failed = requests.request(new SnapshotRequest("upgrade-3", false));
    assertThat(failed.state()).isEqualTo(State.FAILED);
    assertThat(failed.failure()).isEqualTo("savepoint 5 failed: disk");
    assertThat(triggered).hasSize(1);

    SnapshotReport retried = requests.request(new SnapshotRequest("upgrade-3", true));
    assertThat(retried.state()).isEqualTo(State.IN_PROGRESS);
    assertThat(retried.failure()).as("why the previous attempt failed").contains("disk");
    assertThat(triggered).hasSize(2);
    triggered.get(1).complete(savepoint(6));
    assertThat(requests.request(new SnapshotRequest("upgrade-3", true)).state())
        .isEqualTo(State.COMPLETED);
  }

  @Test
  void aRequestWithoutIdGetsOneAndOtherIdsAreUnknown() {
    SnapshotReport report = requests.request(new SnapshotRequest(null, false));
    assertThat(report.requestId()).isNotBlank();
    assertThat(requests.get(report.requestId())).isPresent();
    assertThat(requests.get("nonce-9")).isEmpty();
  }
}
