package io.statejob.runtime.cluster;

import io.statejob.api.protocol.CheckpointsReport;
import io.statejob.api.protocol.JobFailure;
import io.statejob.runtime.server.HttpEndpoints;
import io.statejob.runtime.server.HttpEndpoints.Response;
import java.io.IOException;

/**
 * What a pod's process serves when its job cannot run at all (its program is missing): a live
 * process, so that Kubernetes does not restart it into the same failure, and on the coordinator the
 * failure on {@code GET /checkpoints}, where the operator reads it.
 */
public final class FailedJobEndpoints {
  private FailedJobEndpoints() {}

  /**
   * Serves a coordinator's endpoints: live, ready (the operator must reach it), and the failure.
   */
  public static HttpEndpoints coordinator(int port, JobFailure failure) throws IOException {
    return new HttpEndpoints(port, 1024, "failed-job-http")
        .route("GET", "/healthz", request -> Response.ok())
        .route("GET", "/readyz", request -> Response.ok())
        .route(
            "GET",
            "/checkpoints",
            request ->
                Response.json(
                    new CheckpointsReport(null, 0, false, failure, null, null, null, null)))
        .start();
  }

  /** Serves a worker's endpoints: live, and not ready, saying why. */
  public static HttpEndpoints worker(int port, JobFailure failure) throws IOException {
    return new HttpEndpoints(port, 1024, "failed-job-http")
        .route("GET", "/healthz", request -> Response.ok())
        .route("GET", "/readyz", request -> Response.text(503, failure.message()))
        .start();
  }
}
