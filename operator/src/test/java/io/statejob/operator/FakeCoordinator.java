package io.statejob.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.statejob.api.model.CheckpointInfo;
import io.statejob.api.model.CheckpointsStatus;
import io.statejob.api.protocol.CheckpointsReport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/** A coordinator's {@code /checkpoints} endpoint on 127.0.0.1, answering what the test sets. */
public final class FakeCoordinator implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final AtomicReference<CheckpointsReport> report = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicInteger requests =
      new java.util.concurrent.atomic.AtomicInteger();

  public FakeCoordinator() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/checkpoints",
        exchange -> {
          requests.incrementAndGet();
          CheckpointsReport current = report.get();
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
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** How often an operator asked for checkpoints. */
  public int requests() {
    return requests.get();
  }

  /** Reports checkpoints 1..latest completed, {@code failed} failed, the last ones in a row. */
  public void report(long latest, long failed, int consecutiveFailures) {
    CheckpointsStatus status = new CheckpointsStatus();
    for (long id = Math.max(1, latest - 2); id <= latest; id++) {
      CheckpointInfo info = new CheckpointInfo();
      info.id = id;
      info.path = "s3a://bucket/checkpoints/job/chk-" + id;
      info.completedAt = "2026-11-21T10:00:0" + (id % 10) + "Z";
      info.stateSizeBytes = 1000 * id;
      info.uploadedBytes = 100 * id;
      info.durationMs = 42L;
      info.type = "incremental";
      status.history.add(info);
      status.latest = info;
    }
    status.completed = latest;
    status.failed = failed;
    report.set(new CheckpointsReport(status, consecutiveFailures));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
