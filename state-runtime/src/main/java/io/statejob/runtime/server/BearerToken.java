package io.statejob.runtime.server;

import io.statejob.runtime.server.HttpEndpoints.Handler;
import io.statejob.runtime.server.HttpEndpoints.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Guards the endpoints that change a job (savepoints, checkpoints on request, resume) with a bearer
 * token kept in a file, the operator's per-job Secret as mounted in the pod. The file is read at
 * each request: the requests are rare, and a Secret the kubelet updates applies without a restart.
 * An unreadable file refuses every request: a guard that fails open is no guard.
 */
public final class BearerToken {
  private static final String PREFIX = "Bearer ";

  private final Optional<Path> tokenFile;

  /**
   * @param tokenFile the file with the token; empty guards nothing
   */
  public BearerToken(Optional<Path> tokenFile) {
    this.tokenFile = tokenFile;
  }

  /** {@code handler}, answering 401 to a request without the token. */
  public Handler required(Handler handler) {
    if (tokenFile.isEmpty()) {
      return handler;
    }
    return request -> {
      String expected;
      try {
        expected = Files.readString(tokenFile.get(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        return Response.text(503, "the API token cannot be read: " + e.getMessage());
      }
      String given = request.authorization();
      boolean valid =
          !expected.isEmpty()
              && given != null
              && given.startsWith(PREFIX)
              && MessageDigest.isEqual(
                  given.substring(PREFIX.length()).strip().getBytes(StandardCharsets.UTF_8),
                  expected.getBytes(StandardCharsets.UTF_8));
      return valid
          ? handler.handle(request)
          : Response.text(401, "this request needs the job's API token (Authorization: Bearer)");
    };
  }
}
