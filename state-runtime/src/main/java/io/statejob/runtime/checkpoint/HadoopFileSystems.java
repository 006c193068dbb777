package io.statejob.runtime.checkpoint;

import io.statejob.api.config.RuntimeConfig;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;

/** Hadoop {@link FileSystem}s for checkpoint URIs, configured from the runtime's fs.* keys. */
public final class HadoopFileSystems {
  private HadoopFileSystems() {}

  public static Configuration configuration(RuntimeConfig config) {
    Configuration hadoop = new Configuration();
    // the checksummed local file system writes a .crc beside every file; _metadata has its own
    hadoop.set("fs.file.impl", RawLocalFileSystem.class.getName());
    hadoop.setBoolean("fs.file.impl.disable.cache", true);
    config.withPrefix("fs.").forEach(hadoop::set);
    return hadoop;
  }

  public static FileSystem get(URI uri, RuntimeConfig config) throws IOException {
    return FileSystem.get(uri, configuration(config));
  }
}
