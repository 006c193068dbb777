package io.statejob.runtime.cluster;

import io.statejob.api.protocol.SnapshotReport;
import io.statejob.api.protocol.SnapshotReport.State;
import io.statejob.api.protocol.SnapshotRequest;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Savepoint or checkpoint requests by name, so that asking again is idempotent: the operator
 * repeats its request at every reconcile until it sees the snapshot, and must not get a new one
 * each time. The newest requests are remembered; a restarted coordinator has forgotten them, and a
 * repeated request then takes a new snapshot, which is harmless.
 */
final class SnapshotRequests {
  private static final int REMEMBERED = 100;

  private final Function<SnapshotRequest, CompletableFuture<CompletedCheckpoint>> trigger;
  private final Map<String, Request> requests =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Request> eldest) {
          return size() > REMEMBERED;
        }
      };

  /** One request: its current snapshot, and why its previous one failed when it was retried. */
  private record Request(CompletableFuture<CompletedCheckpoint> snapshot, String failedBefore) {}

  SnapshotRequests(Function<SnapshotRequest, CompletableFuture<CompletedCheckpoint>> trigger) {
    this.trigger = trigger;
  }

  /** Takes a snapshot for a new request (or a failed one to retry) and reports on the request. */
  synchronized SnapshotReport request(SnapshotRequest request) {
    String requestId = request.requestId();
    String id = requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId;
    Request known = requests.get(id);
    if (known == null || (request.retryFailed() && failure(known).isPresent())) {
      String failedBefore = known == null ? null : failure(known).orElse(null);
      known = new Request(trigger.apply(request), failedBefore);
      requests.put(id, known);
    }
    return report(id, known);
  }

  /** Every request remembered, oldest first, as {@link #get} reports each. */
  synchronized List<SnapshotReport> all() {
    return requests.entrySet().stream().map(e -> report(e.getKey(), e.getValue())).toList();
  }

  synchronized Optional<SnapshotReport> get(String requestId) {
    return Optional.ofNullable(requests.get(requestId)).map(r -> report(requestId, r));
  }

  private static SnapshotReport report(String id, Request request) {
    CompletableFuture<CompletedCheckpoint> snapshot = request.snapshot();
    if (!snapshot.isDone()) {
      return new SnapshotReport(id, State.IN_PROGRESS, null, request.failedBefore());
    }
    Optional<String> failure = failure(request);
    return failure.isPresent()
        ? new SnapshotReport(id, State.FAILED, null, failure.get())
        : new SnapshotReport(id, State.COMPLETED, CheckpointHistory.info(snapshot.join()), null);
  }

  private static Optional<String> failure(Request request) {
    CompletableFuture<CompletedCheckpoint> snapshot = request.snapshot();
    if (!snapshot.isCompletedExceptionally()) {
      return Optional.empty();
    }
    try {
      snapshot.join();
      return Optional.empty();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return Optional.of(String.valueOf(cause.getMessage()));
    }
  }
}
