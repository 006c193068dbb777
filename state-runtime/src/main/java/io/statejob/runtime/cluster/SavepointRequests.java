package io.statejob.runtime.cluster;

import io.statejob.api.protocol.SavepointReport;
import io.statejob.api.protocol.SavepointReport.State;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Savepoint requests by name, so that asking again is idempotent: the operator repeats its request
 * at every reconcile until it sees the savepoint, and must not get a new savepoint each time. The
 * newest requests are remembered; a restarted coordinator has forgotten them, and a repeated
 * request then takes a new savepoint, which is harmless.
 */
final class SavepointRequests {
  private static final int REMEMBERED = 100;

  private final Supplier<CompletableFuture<CompletedCheckpoint>> trigger;
  private final Map<String, Request> requests =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Request> eldest) {
          return size() > REMEMBERED;
        }
      };

  /** One request: its current savepoint, and why its previous one failed when it was retried. */
  private record Request(CompletableFuture<CompletedCheckpoint> savepoint, String failedBefore) {}

  SavepointRequests(Supplier<CompletableFuture<CompletedCheckpoint>> trigger) {
    this.trigger = trigger;
  }

  /** Takes a savepoint for a new request (or a failed one to retry) and reports on the request. */
  synchronized SavepointReport request(String requestId, boolean retryFailed) {
    String id = requestId == null || requestId.isBlank() ? UUID.randomUUID().toString() : requestId;
    Request known = requests.get(id);
    if (known == null || (retryFailed && failure(known).isPresent())) {
      String failedBefore = known == null ? null : failure(known).orElse(null);
      known = new Request(trigger.get(), failedBefore);
      requests.put(id, known);
    }
    return report(id, known);
  }

  synchronized Optional<SavepointReport> get(String requestId) {
    return Optional.ofNullable(requests.get(requestId)).map(r -> report(requestId, r));
  }

  private static SavepointReport report(String id, Request request) {
    CompletableFuture<CompletedCheckpoint> savepoint = request.savepoint();
    if (!savepoint.isDone()) {
      return new SavepointReport(id, State.IN_PROGRESS, null, request.failedBefore());
    }
    Optional<String> failure = failure(request);
    return failure.isPresent()
        ? new SavepointReport(id, State.FAILED, null, failure.get())
        : new SavepointReport(id, State.COMPLETED, CheckpointHistory.info(savepoint.join()), null);
  }

  private static Optional<String> failure(Request request) {
    CompletableFuture<CompletedCheckpoint> savepoint = request.savepoint();
    if (!savepoint.isCompletedExceptionally()) {
      return Optional.empty();
    }
    try {
      savepoint.join();
      return Optional.empty();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      return Optional.of(String.valueOf(cause.getMessage()));
    }
  }
}
