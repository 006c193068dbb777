package io.statejob.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.AbstractNio2BlobStore;
import org.slf4j.LoggerFactory;

/**
 * A real S3-compatible server (S3Proxy) on 127.0.0.1 in the test JVM. Stopping and starting it
 * again on the same port keeps its objects, which is how tests simulate an outage.
 */
@SuppressWarnings("try") // close() may throw what Jetty throws
public final class LocalS3Server implements AutoCloseable {
  public static final String ACCESS_KEY = "statejob-test-access";
  public static final String SECRET_KEY = "statejob-test-secret-5f3a9c";

  private final InMemoryBlobStore store = new InMemoryBlobStore();
  private S3Proxy proxy;
  private int port;

  private LocalS3Server() {}

  public static LocalS3Server start(String bucket) throws Exception {
    LocalS3Server server = new LocalS3Server();
    server.store.createContainer(bucket);
    server.startOn(0);
    return server;
  }

  private void startOn(int requestedPort) throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://127.0.0.1:" + requestedPort))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    while (!proxy.getState().equals("STARTED")) {
      Thread.sleep(10);
    }
    port = proxy.getPort();
  }

  /**
   * Removes directories that hold no object. S3 has no directories, so a prefix without objects
   * does not exist there; S3Proxy's file-backed store keeps the directory of an upload that a
   * killed client left unfinished once it deletes the partial file, and lists it as a prefix.
   */
  public void pruneEmptyPrefixes() throws java.io.IOException {
    java.nio.file.Path root = store.root();
    try (var paths = java.nio.file.Files.walk(root)) {
      for (java.nio.file.Path dir :
          paths
              .filter(java.nio.file.Files::isDirectory)
              .filter(d -> d.getNameCount() >= 2) // below the bucket
              .sorted(java.util.Comparator.reverseOrder()) // children before parents
              .toList()) {
        try (var entries = java.nio.file.Files.list(dir)) {
          if (entries.findAny().isEmpty()) {
            java.nio.file.Files.delete(dir);
          }
        }
      }
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public void stop() throws Exception {
    proxy.stop();
  }

  /** Starts again on the same port with the same objects. */
  public void restart() throws Exception {
    startOn(port);
  }

  /** S3A settings for this server, with retries short enough for tests. */
  public Map<String, String> s3aConfig() {
    Map<String, String> config = new HashMap<>();
    config.put("fs.s3a.endpoint", endpoint());
    config.put("fs.s3a.endpoint.region", "us-east-1");
    config.put("fs.s3a.path.style.access", "true");
    config.put("fs.s3a.connection.ssl.enabled", "false");
    config.put("fs.s3a.access.key", ACCESS_KEY);
    config.put("fs.s3a.secret.key", SECRET_KEY);
    config.put("fs.s3a.attempts.maximum", "1");
    config.put("fs.s3a.retry.limit", "1");
    config.put("fs.s3a.retry.interval", "100ms");
    config.put("fs.s3a.connection.establish.timeout", "1s");
    return config;
  }

  /** Records every log event from now on, to check that no secret is ever logged. */
  public static ListAppender<ILoggingEvent> captureLogs() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    root().addAppender(appender);
    return appender;
  }

  /** Stops capturing and fails if any captured event holds the secret key. */
  public static void assertSecretNeverLogged(ListAppender<ILoggingEvent> appender) {
    root().detachAppender(appender);
    assertThat(appender.list).isNotNull();
    for (ILoggingEvent event : appender.list) {
      assertThat(event.getFormattedMessage() + event.getKeyValuePairs() + event.getThrowableProxy())
          .doesNotContain(SECRET_KEY);
    }
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }

  /** S3Proxy's in-memory store (as its TransientNio2BlobStore), with its root at hand. */
  private static final class InMemoryBlobStore extends AbstractNio2BlobStore {
    InMemoryBlobStore() {
      super(
          com.google.common.jimfs.Jimfs.newFileSystem(
                  com.google.common.jimfs.Configuration.unix().toBuilder()
                      .setAttributeViews("posix", "user")
                      .setWorkingDirectory("/")
                      .build())
              .getPath("/"));
    }

    java.nio.file.Path root() {
      return getRoot();
    }
  }
}
