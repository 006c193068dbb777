package io.statejob.runtime.cluster;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.api.protocol.SnapshotReport;
import io.statejob.api.protocol.SnapshotRequest;
import io.statejob.runtime.checkpoint.CoordinatorGateway;
import io.statejob.runtime.cluster.ClusterMessages.Heartbeat;
import io.statejob.runtime.cluster.ClusterMessages.Registration;
import io.statejob.runtime.execution.JobListener;
import io.statejob.runtime.execution.JobRunner;
import io.statejob.runtime.server.BearerToken;
import io.statejob.runtime.server.HttpEndpoints;
import io.statejob.runtime.server.HttpEndpoints.Request;
import io.statejob.runtime.server.HttpEndpoints.Response;
import io.statejob.runtime.server.RuntimeMetrics;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.DamagedSnapshotException;
import io.statejob.runtime.snapshot.IncompatibleStateException;
import io.statejob.runtime.snapshot.StopMode;
import io.statejob.runtime.state.StateBackend;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator pod's process: the job's {@link JobRunner} with worker processes as its pool, and
 * the HTTP endpoints workers and the operator talk to. {@code GET /checkpoints} is what the
 * operator mirrors into the StateJob's status.
 */
public final class CoordinatorProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoordinatorProcess.class);
  private static final int HISTORY_LENGTH = 10;

  private final RemoteWorkers workers;
  private final CheckpointHistory history = new CheckpointHistory(HISTORY_LENGTH);
  private final RuntimeMetrics metrics;
  private final HttpEndpoints endpoints;
  private final JobRunner runner;
  private final SnapshotRequests savepoints;
  private final SnapshotRequests checkpoints;
  private final CompletableFuture<CompletedCheckpoint> result = new CompletableFuture<>();
  private final Thread jobThread;

  /**
   * @param port the HTTP port, 0 for any
   * @param listener told of the job's progress besides the history and metrics
   */
  public CoordinatorProcess(
      RuntimeConfig config, StateBackend backend, int port, JobListener listener)
      throws IOException {
    this.workers =
        new RemoteWorkers(
            config.get(RuntimeOptions.HEARTBEAT_INTERVAL),
            config.get(RuntimeOptions.HEARTBEAT_TIMEOUT));
    this.metrics =
        new RuntimeMetrics(
            workers::counters,
            RuntimeMetrics.tags(
                config.getOptional(RuntimeOptions.JOB_ID).orElse(""), "coordinator"));
    this.runner =
        new JobRunner(
            config,
            backend,
            workers,
            JobListener.all(List.of(history, metrics, new LoggingJobListener(), listener)));
    metrics.snapshotInProgress(runner::snapshotInProgressSince);
    this.savepoints =
        new SnapshotRequests(r -> runner.triggerSavepoint(StopMode.of(r.stop(), r.drain())));
    this.checkpoints = new SnapshotRequests(r -> runner.triggerCheckpoint());
    // an acknowledgement of the memory backend carries state: allow the largest one permitted
    long maxBody = config.get(RuntimeOptions.MAX_MESSAGE_SIZE) + 64 * 1024;
    // the operator's requests change the job; the workers' are fenced by attempt numbers
    BearerToken token =
        new BearerToken(config.getOptional(RuntimeOptions.REST_TOKEN_FILE).map(Path::of));
    this.endpoints =
        new HttpEndpoints(port, maxBody, "coordinator-http")
            // ready whenever it serves: /checkpoints must reach the operator through the Service
            // between attempts and after the job finished too
            .withProbes(() -> true, metrics)
            .route(
                "GET",
                "/checkpoints",
                r ->
                    Response.json(
                        history.report().withRequests(savepoints.all(), checkpoints.all())))
            .route("POST", "/savepoints", token.required(r -> onSnapshotRequest(savepoints, r)))
            .route("GET", "/savepoints/([^/]+)", r -> onSnapshotQuery(savepoints, r))
            .route("DELETE", "/savepoints", token.required(this::onSavepointDisposal))
            .route("POST", "/job/resume", token.required(this::onResume))
            .route("POST", "/checkpoints", token.required(r -> onSnapshotRequest(checkpoints, r)))
            .route("GET", "/checkpoints/([^/]+)", r -> onSnapshotQuery(checkpoints, r))
            .route("POST", "/workers/register", this::onRegister)
            .route("POST", "/workers/(\\d+)/heartbeat", this::onHeartbeat)
            .route("GET", "/attempts/(\\d+)/restore", this::onRestoreRequest)
            .route(
                "POST",
                "/attempts/(\\d+)/checkpoints/(\\d+)/ack",
                r ->
                    toAttempt(r, c -> c.acknowledgeCheckpoint(subtask(r), r.pathLong(2), r.body())))
            .route(
                "POST",
                "/attempts/(\\d+)/checkpoints/(\\d+)/decline",
                r -> toAttempt(r, c -> c.declineCheckpoint(subtask(r), r.pathLong(2), r.text())))
            .route(
                "POST",
                "/attempts/(\\d+)/workers/(\\d+)/finished",
                r -> toAttempt(r, c -> c.reportFinished(r.pathInt(2))))
            .route(
                "POST",
                "/attempts/(\\d+)/workers/(\\d+)/failed",
                r -> {
                  RemoteWorkerFailure failure =
                      RemoteWorkerFailure.from(r.json(ClusterMessages.FailureReport.class));
                  return toAttempt(r, c -> c.reportFailure(r.pathInt(2), failure));
                })
            .start();
    this.jobThread = new Thread(this::runJob, "job");
    jobThread.setDaemon(true);
    jobThread.start();
  }

  public int port() {
    return endpoints.port();
  }

  /** Completes with the final checkpoint when the job's bounded sources ended, or its failure. */
  public CompletableFuture<CompletedCheckpoint> result() {
    return result;
  }

  private void runJob() {
    try {
      result.complete(runner.run());
    } catch (Throwable t) {
      result.completeExceptionally(t);
    }
  }

  private static Response onSnapshotRequest(SnapshotRequests requests, Request request)
      throws IOException {
    SnapshotRequest body =
        request.body().length == 0
            ? new SnapshotRequest(null, false)
            : request.json(SnapshotRequest.class);
    return Response.json(202, requests.request(body));
  }

  /** {@code POST /job/resume}: a job stopped with a savepoint goes on from it. */
  private Response onResume(Request request) {
    return runner.resume() ? Response.ok() : Response.conflict("the job is not stopped");
  }

  private static Response onSnapshotQuery(SnapshotRequests requests, Request request)
      throws IOException {
    String requestId = request.path().group(1);
    Optional<SnapshotReport> report = requests.get(requestId);
    return report.isPresent()
        ? Response.json(report.get())
        : Response.notFound("no request " + requestId);
  }

  /** {@code DELETE /savepoints?path=<uri>}: disposes a savepoint of the job. */
  private Response onSavepointDisposal(Request request) {
    String path = request.query().get("path");
    if (path == null) {
      return Response.text(400, "name the savepoint: ?path=<uri>");
    }
    try {
      runner.disposeSavepoint(path);
      return Response.ok();
    } catch (IllegalArgumentException e) {
      return Response.conflict(e.getMessage());
    } catch (IOException | RuntimeException e) {
      return Response.text(503, "cannot dispose of " + path + ": " + e.getMessage());
    }
  }

  private Response onRegister(Request request) throws IOException {
    Registration registration = request.json(Registration.class);
    workers.register(registration);
    return Response.ok();
  }

  private Response onHeartbeat(Request request) throws IOException {
    return workers.heartbeat(request.pathInt(1), request.json(Heartbeat.class))
        ? Response.ok()
        : Response.notFound("unknown worker: register again");
  }

  private Response onRestoreRequest(Request request) {
    Optional<byte[]> metadata = workers.restoreMetadata(request.pathInt(1));
    return metadata.isPresent()
        ? Response.bytes(metadata.get())
        : Response.conflict("attempt " + request.path().group(1) + " restores nothing");
  }

  private Response toAttempt(
      Request request, java.util.function.Consumer<CoordinatorGateway> send) {
    Optional<CoordinatorGateway> coordinator = workers.coordinatorFor(request.pathInt(1));
    if (coordinator.isEmpty()) {
      return Response.conflict("attempt " + request.path().group(1) + " is not running");
    }
    send.accept(coordinator.get());
    return Response.ok();
  }

  private static int subtask(Request request) {
    return request.queryInt("subtask");
  }

  @Override
  public void close() throws InterruptedException {
    runner.cancel();
    workers.close();
    jobThread.join(30_000);
    endpoints.close();
    metrics.close();
  }

  /**
   * A failure a worker process reported; its message is the worker's exception, and a damaged
   * snapshot file or incompatible state it found is its cause, as it would be in local mode.
   */
  static final class RemoteWorkerFailure extends Exception {
    private RemoteWorkerFailure(String message, Throwable cause) {
      super(message, cause);
    }

    static RemoteWorkerFailure from(ClusterMessages.FailureReport report) {
      Throwable cause = null;
      if (report.damagedFile() != null) {
        cause = new DamagedSnapshotException(report.damagedFile(), report.damage());
      } else if (report.incompatibleState()) {
        cause = new IncompatibleStateException(report.message());
      }
      return new RemoteWorkerFailure(report.message(), cause);
    }
  }

  /** One INFO line per checkpoint: what an operator of the job wants in the log. */
  private static final class LoggingJobListener implements JobListener {
    @Override
    public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
      LOG.atInfo()
          .addKeyValue("checkpoint", checkpoint.id())
          .addKeyValue("durationMs", durationMs)
          .addKeyValue("stateSizeBytes", checkpoint.metadata().stateSize())
          .addKeyValue("path", checkpoint.path())
          .log("checkpoint completed");
    }

    @Override
    public void savepointCompleted(CompletedCheckpoint savepoint, long durationMs) {
      LOG.atInfo()
          .addKeyValue("savepoint", savepoint.id())
          .addKeyValue("durationMs", durationMs)
          .addKeyValue("stateSizeBytes", savepoint.metadata().stateSize())
          .addKeyValue("path", savepoint.path())
          .log("savepoint completed");
    }

    @Override
    public void finished(CompletedCheckpoint finalCheckpoint) {
      LOG.atInfo()
          .addKeyValue("checkpoint", finalCheckpoint.id())
          .log("bounded sources ended; final checkpoint completed");
    }
  }
}
