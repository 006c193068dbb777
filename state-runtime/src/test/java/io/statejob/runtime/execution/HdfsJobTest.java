package io.statejob.runtime.execution;

import static io.statejob.runtime.execution.JobRuns.assertExactCounts;
import static io.statejob.runtime.execution.JobRuns.datagen;
import static io.statejob.runtime.execution.JobRuns.dump;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.testing.LocalHdfs;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Jobs checkpointing to hdfs:// on a real HDFS (MiniDFSCluster) in this JVM, as Flink's own
 * documentation example does, and a scheme no file system serves.
 */
class HdfsJobTest {
  @TempDir static Path shared;
  @TempDir Path temp;
  private static LocalHdfs hdfs;

  @BeforeAll
  static void startHdfs() throws Exception {
    hdfs = LocalHdfs.start(shared.resolve("hdfs"));
  }

  @AfterAll
  static void stopHdfs() {
    hdfs.close();
  }

  @ParameterizedTest(name = "{0}, incremental {1}")
  @CsvSource({"filesystem, false", "rocksdb, true"})
  void aJobCheckpointsToHdfsAndRestoresAtAnotherParallelism(String backend, boolean incremental)
      throws Exception {
    String checkpoints = hdfs.uri() + "/flink/checkpoints/" + backend;
    Map<String, String> extra =
        Map.of(
            "state.backend.incremental", String.valueOf(incremental),
            "state.backend.rocksdb.localdir", temp.resolve("local").toString());
    JobRuns.run(
        KeyedCountJob.class, datagen(10_000, 0), JobRuns.config(checkpoints, backend, 2, extra));
    RuntimeConfig config = JobRuns.config(checkpoints, backend, 3, extra);
    CompletedCheckpoint last = JobRuns.run(KeyedCountJob.class, datagen(20_000, 0), config);

    assertThat(last.path()).startsWith(checkpoints + "/test-job/chk-");
    assertThat(last.metadata().stateSize()).isPositive();
    assertExactCounts(dump(last, config), "count-and-sum", 20_000);
  }

  @Test
  void aSchemeNoFileSystemServesIsRefusedNamingIt() {
    RuntimeConfig config =
        JobRuns.config(
            "gopher://host/checkpoints",
            "filesystem",
            1,
            Map.of("restart-strategy.fixed-delay.attempts", "0"));
    assertThatThrownBy(() -> JobRuns.run(KeyedCountJob.class, datagen(100, 0), config))
        .hasStackTraceContaining(
            "no file system for scheme 'gopher' in 'gopher://host/checkpoints'");
  }
}
