package io.statejob.runtime.cluster;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.cluster.ClusterMessages.Assignment;
import io.statejob.runtime.cluster.ClusterMessages.Heartbeat;
import io.statejob.runtime.cluster.ClusterMessages.Registration;
import io.statejob.runtime.concurrent.DaemonThreads;
import io.statejob.runtime.exchange.BatchCodec;
import io.statejob.runtime.exchange.NettyExchange;
import io.statejob.runtime.execution.JobProgram;
import io.statejob.runtime.execution.Worker;
import io.statejob.runtime.execution.WorkerCounters;
import io.statejob.runtime.execution.WorkerSetup;
import io.statejob.runtime.serialization.AnyRecordSerializer;
import io.statejob.runtime.server.HttpCalls;
import io.statejob.runtime.server.HttpEndpoints;
import io.statejob.runtime.server.HttpEndpoints.Request;
import io.statejob.runtime.server.HttpEndpoints.Response;
import io.statejob.runtime.server.RuntimeMetrics;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.MetadataCodec;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.StopMode;
import io.statejob.runtime.state.StateBackend;
import io.statejob.runtime.storage.CheckpointStorage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker pod's process: it registers with the coordinator under its subtask index, heartbeats,
 * and runs whichever attempt the coordinator assigns, restoring the checkpoint the assignment
 * names. When the coordinator no longer knows it (the coordinator restarted), it drops its attempt
 * and registers again.
 */
public final class WorkerProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);
  private static final long STOP_TIMEOUT_MS = 30_000;

  private final int subtask;
  private final String coordinatorUrl;
  private final JobProgram program;
  private final RuntimeConfig config;
  private final StateBackend backend;
  private final CheckpointStorage storage;
  private final HttpCalls http;
  private final RuntimeMetrics metrics;
  private final HttpEndpoints endpoints;
  private final String url;
  private final NettyExchange exchange;
  private final String exchangeAddress;

  /** Where each worker of the current attempt receives records, by subtask. */
  private volatile List<InetSocketAddress> peers = List.of();

  private final ScheduledExecutorService heartbeats = DaemonThreads.scheduler("heartbeat");
  private volatile String incarnation = UUID.randomUUID().toString();
  private volatile boolean registered;

  /** The attempt this process runs; guarded by {@code this}. */
  private Worker worker;

  private int attempt = Heartbeat.IDLE;

  /**
   * @param subtask the worker's index (its StatefulSet ordinal)
   * @param coordinatorUrl the coordinator's base URL
   * @param advertisedHost the host name or address the coordinator reaches this process at
   * @param port the HTTP port, 0 for any
   */
  public WorkerProcess(
      int subtask,
      String coordinatorUrl,
      String advertisedHost,
      int port,
      JobProgram program,
      RuntimeConfig config,
      StateBackend backend)
      throws IOException {
    this.subtask = subtask;
    this.coordinatorUrl = coordinatorUrl;
    this.program = program;
    this.config = config;
    this.backend = backend;
    String jobId = config.get(RuntimeOptions.JOB_ID);
    // a new process starts from the checkpoint the coordinator assigns, never from local leftovers
    backend.discardLocalState(jobId);
    this.storage = backend.createCheckpointStorage(jobId);
    BatchCodec codec = new BatchCodec(new AnyRecordSerializer(program.classLoader()));
    this.exchange =
        new NettyExchange(
            new InetSocketAddress(config.get(RuntimeOptions.EXCHANGE_PORT)),
            edge -> codec,
            index -> peers.get(index),
            config.get(RuntimeOptions.EXCHANGE_CONNECT_TIMEOUT));
    this.exchangeAddress = advertisedHost + ":" + exchange.port();
    this.http = new HttpCalls(config.get(RuntimeOptions.HEARTBEAT_TIMEOUT));
    this.metrics =
        new RuntimeMetrics(
            this::counters,
            RuntimeMetrics.tags(jobId, "worker").and("subtask", String.valueOf(subtask)));
    metrics.exchangeBytes(exchange::bytesSent, exchange::bytesReceived);
    metrics.backendGauges(backend.gauges());
    this.endpoints =
        new HttpEndpoints(port, 64 * 1024, "worker-http")
            .withProbes(this::isRunning, metrics)
            .route("POST", "/attempts", this::onAssignment)
            .route(
                "POST",
                "/attempts/(\\d+)/checkpoints/(\\d+)/trigger",
                r ->
                    withWorker(
                        r, w -> w.triggerCheckpoint(r.pathLong(2), snapshotType(r), stopMode(r))))
            .route(
                "POST",
                "/attempts/(\\d+)/checkpoints/(\\d+)/complete",
                r -> withWorker(r, w -> w.notifyCheckpointComplete(r.pathLong(2))))
            .route("POST", "/attempts/(\\d+)/cancel", r -> end(r, true))
            .route("POST", "/attempts/(\\d+)/stop", r -> end(r, false))
            .start();
    this.url = "http://" + advertisedHost + ":" + endpoints.port();
    long interval = config.get(RuntimeOptions.HEARTBEAT_INTERVAL).toMillis();
    heartbeats.scheduleWithFixedDelay(this::heartbeat, 0, interval, TimeUnit.MILLISECONDS);
  }

  public int port() {
    return endpoints.port();
  }

  public synchronized boolean isRunning() {
    return worker != null;
  }

  private synchronized WorkerCounters counters() {
    return worker == null ? WorkerCounters.NONE : worker.counters();
  }

  private synchronized Response onAssignment(Request request) throws Exception {
    Assignment assignment = request.json(Assignment.class);
    endWorker(true);
    Optional<CompletedCheckpoint> restore =
        assignment.restorePath() == null ? Optional.empty() : Optional.of(fetchRestore(assignment));
    int number = assignment.attempt();
    exchange.forgetAttemptsBefore(number);
    peers = assignment.exchanges().stream().map(WorkerProcess::address).toList();
    HttpCoordinatorGateway coordinator =
        new HttpCoordinatorGateway(http, coordinatorUrl, number, this::reregister);
    try {
      worker =
          new Worker(
              new WorkerSetup(
                  number,
                  subtask,
                  assignment.parallelism(),
                  program,
                  backend,
                  storage,
                  restore,
                  config,
                  coordinator,
                  exchange));
    } catch (Exception e) {
      // the program or the restore point does not fit: the coordinator decides what follows
      coordinator.reportFailure(subtask, e);
      return Response.ok();
    }
    attempt = number;
    worker.start();
    if (restore.isPresent()) {
      metrics.restored();
    }
    LOG.atInfo()
        .addKeyValue("subtask", subtask)
        .addKeyValue("attempt", number)
        .addKeyValue("parallelism", assignment.parallelism())
        .addKeyValue("restore", assignment.restorePath())
        .log("attempt assigned");
    return Response.ok();
  }

  /** {@code host:port}, as a worker registered it. */
  private static InetSocketAddress address(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    return InetSocketAddress.createUnresolved(
        hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
  }

  /** The checkpoint's metadata as the coordinator holds it: for memory state, the state itself. */
  private CompletedCheckpoint fetchRestore(Assignment assignment) throws Exception {
    HttpResponse<byte[]> response =
        http.get(coordinatorUrl + "/attempts/" + assignment.attempt() + "/restore");
    if (!HttpCalls.succeeded(response)) {
      throw new IOException(
          "coordinator did not give the restore metadata: " + response.statusCode());
    }
    return new CompletedCheckpoint(MetadataCodec.decode(response.body()), assignment.restorePath());
  }

  /** {@code ?type=checkpoint|savepoint}; a checkpoint when absent. */
  private static SnapshotType snapshotType(Request request) {
    String type = request.query().getOrDefault("type", "checkpoint");
    try {
      return SnapshotType.valueOf(type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("type must be checkpoint or savepoint, not " + type, e);
    }
  }

  /** {@code ?stop=none|stop|drain}; none when absent. */
  private static StopMode stopMode(Request request) {
    String stop = request.query().getOrDefault("stop", "none");
    try {
      return StopMode.valueOf(stop.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("stop must be none, stop or drain, not " + stop, e);
    }
  }

  private synchronized Response withWorker(Request request, Consumer<Worker> action) {
    if (worker == null || attempt != request.pathInt(1)) {
      return Response.conflict("this worker does not run attempt " + request.path().group(1));
    }
    action.accept(worker);
    return Response.ok();
  }

  private synchronized Response end(Request request, boolean cancel) throws InterruptedException {
    if (attempt == request.pathInt(1)) {
      endWorker(cancel);
    }
    return Response.ok();
  }

  /** Ends the running attempt and waits for its task thread. */
  private synchronized void endWorker(boolean cancel) throws InterruptedException {
    if (worker == null) {
      return;
    }
    if (cancel) {
      worker.cancel();
    } else {
      worker.stop();
    }
    worker.join(STOP_TIMEOUT_MS);
    worker = null;
    attempt = Heartbeat.IDLE;
  }

  /** Registers when not registered, else heartbeats; a coordinator that forgot us ends our work. */
  private void heartbeat() {
    try {
      if (!registered) {
        registered =
            HttpCalls.succeeded(
                http.postJson(
                    coordinatorUrl + "/workers/register",
                    new Registration(subtask, url, incarnation, exchangeAddress)));
        return;
      }
      Heartbeat beat;
      synchronized (this) {
        beat = new Heartbeat(attempt, incarnation, counters());
      }
      HttpResponse<byte[]> response =
          http.postJson(coordinatorUrl + "/workers/" + subtask + "/heartbeat", beat);
      if (response.statusCode() == 404) {
        LOG.atInfo().addKeyValue("subtask", subtask).log("coordinator lost track; registering");
        endWorker(true);
        registered = false;
      }
    } catch (IOException e) {
      LOG.atDebug().addKeyValue("error", e.toString()).log("coordinator unreachable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Registers as a new process, which the coordinator treats as this worker having failed. */
  private void reregister() {
    incarnation = UUID.randomUUID().toString();
    registered = false;
  }

  @Override
  public void close() throws Exception {
    heartbeats.shutdownNow();
    endpoints.close();
    endWorker(true);
    exchange.close();
    storage.close();
    metrics.close();
  }
}
