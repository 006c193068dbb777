package io.statejob.runtime.testing;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** A real HDFS in the test JVM: one namenode and one datanode on 127.0.0.1, under a temp dir. */
public final class LocalHdfs implements AutoCloseable {
  private final MiniDFSCluster cluster;

  private LocalHdfs(MiniDFSCluster cluster) {
    this.cluster = cluster;
  }

  public static LocalHdfs start(Path baseDir) throws Exception {
    Configuration conf = new Configuration();
    conf.set("dfs.replication", "1");
    return new LocalHdfs(
        new MiniDFSCluster.Builder(conf, baseDir.toFile())
            .numDataNodes(1)
            .storagesPerDatanode(1)
            .build());
  }

  /** {@code hdfs://127.0.0.1:<port>}, the namenode's address. */
  public String uri() {
    return cluster.getURI().toString();
  }

  @Override
  public void close() {
    cluster.shutdown();
  }
}
