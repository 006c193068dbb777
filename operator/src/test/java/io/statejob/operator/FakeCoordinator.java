package io.statejob.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.statejob.api.model.CheckpointInfo;
import io.statejob.api.model.CheckpointsStatus;
import io.statejob.api.protocol.CheckpointsReport;
import io.statejob.api.protocol.JobFailure;
import io.statejob.api.protocol.SnapshotReport;
import io.statejob.api.protocol.SnapshotRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A coordinator's {@code /checkpoints} and {@code /savepoints} endpoints on 127.0.0.1, answering
 * what the test sets. Savepoint requests are idempotent by id, as the real coordinator's are; a
 * checkpoint asked for completes at once.
 */
public final class FakeCoordinator implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final AtomicReference<CheckpointsReport> report = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicInteger requests =
      new java.util.concurrent.atomic.AtomicInteger();

  private final Map<String, SnapshotReport> savepoints = new ConcurrentHashMap<>();
  private final List<SnapshotRequest> savepointRequests = new CopyOnWriteArrayList<>();
  private volatile SnapshotReport.State savepointOutcome = SnapshotReport.State.COMPLETED;
  private final AtomicLong savepointIds = new AtomicLong(100);
  private final List<SnapshotRequest> checkpointRequests = new CopyOnWriteArrayList<>();
  private final Map<String, SnapshotReport> checkpoints = new ConcurrentHashMap<>();
  private final List<String> disposals = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger failingDisposals =
      new java.util.concurrent.atomic.AtomicInteger();

  public FakeCoordinator() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/savepoints",
        exchange -> {
          authorizations.add(authorization(exchange));
          if (exchange.getRequestMethod().equals("DELETE")) {
            String path =
                java.net.URLDecoder.decode(
                    exchange.getRequestURI().getRawQuery().substring("path=".length()),
                    StandardCharsets.UTF_8);
            boolean fail = failingDisposals.getAndDecrement() > 0;
            if (!fail) {
              disposals.add(path);
            }
            exchange.sendResponseHeaders(fail ? 503 : 200, -1);
            exchange.close();
            return;
          }
          SnapshotRequest request =
              JSON.readValue(exchange.getRequestBody().readAllBytes(), SnapshotRequest.class);
          savepointRequests.add(request);
          SnapshotReport known = savepoints.get(request.requestId());
          boolean retry =
              known != null
                  && known.state() == SnapshotReport.State.FAILED
                  && request.retryFailed();
          if (known == null || retry) {
            known = outcome(request.requestId(), savepointOutcome, retry ? known.failure() : null);
            savepoints.put(request.requestId(), known);
          }
          byte[] body = JSON.writeValueAsBytes(known);
          exchange.sendResponseHeaders(202, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.createContext(
        "/checkpoints",
        exchange -> {
          if (exchange.getRequestMethod().equals("POST")) {
            authorizations.add(authorization(exchange));
            // a checkpoint on request: taken at once
            SnapshotRequest request =
                JSON.readValue(exchange.getRequestBody().readAllBytes(), SnapshotRequest.class);
            checkpointRequests.add(request);
            SnapshotReport taken =
                checkpoints.computeIfAbsent(
                    request.requestId(),
                    id -> {
                      CheckpointInfo checkpoint = new CheckpointInfo();
                      checkpoint.id = 901L + checkpoints.size();
                      checkpoint.path =
                          "s3a://bucket/checkpoints/" + jobId + "/chk-" + checkpoint.id;
                      checkpoint.type = "checkpoint";
                      return new SnapshotReport(
                          id, SnapshotReport.State.COMPLETED, checkpoint, null);
                    });
            byte[] body = JSON.writeValueAsBytes(taken);
            exchange.sendResponseHeaders(202, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
            return;
          }
          requests.incrementAndGet();
          CheckpointsReport current =
              report.get() == null
                  ? null
                  : report
                      .get()
                      .withRequests(
                          List.copyOf(savepoints.values()), List.copyOf(checkpoints.values()));
          byte[] body =
              current == null
                  ? new byte[0]
                  : JSON.writeValueAsString(current).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(
              current == null ? 503 : 200, body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.createContext(
        "/job/resume",
        exchange -> {
          authorizations.add(authorization(exchange));
          boolean stopped = stoppedWith != null;
          if (stopped) {
            resumes.incrementAndGet();
            stoppedWith(null);
          }
          exchange.sendResponseHeaders(stopped ? 200 : 409, -1);
          exchange.close();
        });
    server.start();
  }

  /** The {@code Authorization} header of a request, or "none". */
  private static String authorization(com.sun.net.httpserver.HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header == null ? "none" : header;
  }

  /** The {@code Authorization} headers of the requests that change the job, in order. */
  public List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** When this coordinator "started": a new value is a coordinator restart. */
  private volatile String startedAt = "2026-11-21T09:00:00Z";

  /** A new coordinator process, counting from zero again. */
  public void restart(String at) {
    startedAt = at;
  }

  private volatile boolean finished;
  private volatile CheckpointInfo stoppedWith;
  private final java.util.concurrent.atomic.AtomicInteger resumes =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile JobFailure failure;

  /** The job directory reported checkpoints are in: {@code <uri>/<job-id>/chk-<n>}. */
  private volatile String jobId = "job";

  /** Reports later checkpoints and savepoints as those of job id {@code jobId}. */
  public void storeUnder(String jobId) {
    this.jobId = jobId;
  }

  /** How often an operator asked for checkpoints. */
  public int requests() {
    return requests.get();
  }

  /** Reports the job failed for good, after checkpoints 1..latest. */
  public void fail(long latest, String reason, String message) {
    failure = new JobFailure(reason, message);
    report(latest, 0, 0);
  }

  /** Reports the job finished, its final checkpoint {@code latest}. */
  public void finish(long latest) {
    finished = true;
    report(latest, 0, 0);
  }

  /** Reports checkpoints 1..latest completed, {@code failed} failed, the last ones in a row. */
  public void report(long latest, long failed, int consecutiveFailures) {
    CheckpointsStatus status = new CheckpointsStatus();
    for (long id = Math.max(1, latest - 2); id <= latest; id++) {
      CheckpointInfo info = new CheckpointInfo();
      info.id = id;
      info.path = "s3a://bucket/checkpoints/" + jobId + "/chk-" + id;
      // reported now: the latest just completed, the others a second apart before it
      info.completedAt = java.time.Instant.now().minusSeconds(latest - id).toString();
      info.stateSizeBytes = 1000 * id;
      info.uploadedBytes = 100 * id;
      info.durationMs = 42L;
      info.type = "incremental";
      status.history.add(info);
      status.latest = info;
    }
    status.completed = latest;
    status.failed = failed;
    report.set(
        new CheckpointsReport(
            status, consecutiveFailures, finished, failure, startedAt, stoppedWith, null, null));
  }

  private SnapshotReport outcome(String id, SnapshotReport.State state, String failedBefore) {
    return switch (state) {
      case IN_PROGRESS -> new SnapshotReport(id, state, null, failedBefore);
      case FAILED -> new SnapshotReport(id, state, null, "savepoint failed: disk full");
      case COMPLETED -> {
        CheckpointInfo info = new CheckpointInfo();
        info.id = savepointIds.incrementAndGet();
        info.path = "s3a://bucket/checkpoints/" + jobId + "/savepoints/sp-" + info.id;
        info.completedAt = java.time.Instant.now().toString();
        info.type = "savepoint";
        yield new SnapshotReport(id, state, info, null);
      }
    };
  }

  /** What savepoint requests from now on get: taken at once, in progress, or failed. */
  public void savepointOutcome(SnapshotReport.State state) {
    savepointOutcome = state;
  }

  /**
   * Completes every savepoint in progress as one that stops the job, and reports the job stopped
   * with the last of them until it is resumed.
   */
  public void stopWithSavepoint() {
    completeSavepoints();
    savepoints.values().stream()
        .map(SnapshotReport::snapshot)
        .filter(java.util.Objects::nonNull)
        .max(java.util.Comparator.comparingLong(s -> s.id))
        .ifPresent(this::stoppedWith);
  }

  private void stoppedWith(CheckpointInfo savepoint) {
    stoppedWith = savepoint;
    report.updateAndGet(
        now ->
            new CheckpointsReport(
                now.checkpoints(),
                now.consecutiveFailures(),
                finished,
                failure,
                startedAt,
                savepoint,
                null,
                null));
  }

  /** How often the operator resumed a stopped job. */
  public int resumes() {
    return resumes.get();
  }

  /** Completes every savepoint in progress. */
  public void completeSavepoints() {
    savepoints.replaceAll(
        (id, report) ->
            report.state() == SnapshotReport.State.IN_PROGRESS
                ? outcome(id, SnapshotReport.State.COMPLETED, null)
                : report);
  }

  /** The savepoints disposed of, in order. */
  public List<String> disposals() {
    return List.copyOf(disposals);
  }

  /** The next {@code count} disposals fail, as a storage outage would make them. */
  public void failDisposals(int count) {
    failingDisposals.set(count);
  }

  /** The checkpoint requests received, in order. */
  public List<SnapshotRequest> checkpointRequests() {
    return List.copyOf(checkpointRequests);
  }

  /** The savepoint requests received, in order. */
  public List<SnapshotRequest> savepointRequests() {
    return List.copyOf(savepointRequests);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
