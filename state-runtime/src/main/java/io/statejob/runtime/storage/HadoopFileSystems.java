package io.statejob.runtime.storage;

import io.statejob.api.config.RuntimeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.UnsupportedFileSystemException;

/**
 * Hadoop {@link FileSystem}s for checkpoint URIs, configured from the runtime's {@code fs.*} keys.
 * Instances are shared for the life of the process (an S3A client owns thread and connection
 * pools), so callers never close them.
 */
public final class HadoopFileSystems {
  /**
   * S3A retries for minutes by default; a checkpoint should fail fast and let the next one try.
   * Every value can be overridden with the same {@code fs.*} key.
   */
  private static final Map<String, String> DEFAULTS =
      Map.of(
          "fs.s3a.attempts.maximum", "3",
          "fs.s3a.retry.limit", "3",
          "fs.s3a.retry.interval", "500ms",
          "fs.s3a.retry.throttle.limit", "5",
          "fs.s3a.connection.establish.timeout", "5s",
          "fs.s3a.connection.timeout", "30s",
          // the local file system without a chmod process per file
          "fs.file.impl", ForklessLocalFileSystem.class.getName());

  private static final Map<String, FileSystem> INSTANCES = new ConcurrentHashMap<>();

  private HadoopFileSystems() {}

  public static Configuration configuration(RuntimeConfig config) {
    Configuration hadoop = new Configuration();
    DEFAULTS.forEach(hadoop::set);
    Map<String, String> fs = new java.util.TreeMap<>(config.withPrefix("fs."));
    fs.putAll(config.withPrefix("dfs."));
    if (fs.containsKey("fs.s3a.endpoint") && !fs.containsKey("fs.s3a.endpoint.region")) {
      // with a custom endpoint the SDK would otherwise look for a region in the environment
      hadoop.set("fs.s3a.endpoint.region", "us-east-1");
    }
    fs.forEach(hadoop::set);
    return hadoop;
  }

  /**
   * Fails naming the URI when no Hadoop {@code FileSystem} on the class path serves its scheme: the
   * runtime image carries {@code file}, {@code s3a} and {@code hdfs}.
   */
  private static void checkSchemeSupported(URI uri, Configuration hadoop) throws IOException {
    try {
      FileSystem.getFileSystemClass(uri.getScheme(), hadoop);
    } catch (UnsupportedFileSystemException e) {
      throw new UnsupportedFileSystemException(
          "no file system for scheme '"
              + uri.getScheme()
              + "' in '"
              + uri
              + "': the runtime has file://, s3a:// and hdfs://; for another, put a jar with a"
              + " Hadoop FileSystem for it on the runtime's class path");
    }
  }

  /** The shared file system for {@code uri} under {@code config}'s {@code fs.*} settings. */
  public static FileSystem get(URI uri, RuntimeConfig config) throws IOException {
    String key =
        uri.getScheme()
            + "://"
            + uri.getAuthority()
            + "#"
            + config.withPrefix("fs.")
            + config.withPrefix("dfs.");
    try {
      return INSTANCES.computeIfAbsent(
          key,
          k -> {
            try {
              Configuration hadoop = configuration(config);
              checkSchemeSupported(uri, hadoop);
              FileSystem fs = FileSystem.newInstance(uri, hadoop);
              // the checksummed local file system writes a .crc beside every file; our
              // metadata carries its own checksum
              return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
