package io.statejob.benchmarks.flink;

import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/** What the end-to-end jobs on the Flink side share: their MiniCluster and how they report. */
final class FlinkJobs {
  private FlinkJobs() {}

  /**
   * A MiniCluster environment from {@code --parallelism --backend hashmap|rocksdb
   * --checkpoint-interval --checkpoint-dir --local-dir}; RocksDB checkpoints incrementally, as
   * StateJob's side of each benchmark does.
   */
  static StreamExecutionEnvironment environment(ParameterTool params) {
    String backend = params.get("backend", "hashmap");
    int parallelism = params.getInt("parallelism", 1);
    Configuration config =
        Configuration.fromMap(
            Map.of(
                "state.backend.type", backend,
                "execution.checkpointing.incremental", String.valueOf(backend.equals("rocksdb")),
                "execution.checkpointing.interval", params.get("checkpoint-interval", "1s"),
                "execution.checkpointing.dir", params.getRequired("checkpoint-dir"),
                "state.backend.rocksdb.localdir", params.getRequired("local-dir"),
                "taskmanager.numberOfTaskSlots", String.valueOf(parallelism),
                // a failure ends the run at once, as a benchmark must not measure recovery
                "restart-strategy.type", "none"));
    return StreamExecutionEnvironment.createLocalEnvironment(parallelism, config);
  }

  /**
   * Runs the job and prints {@code netRuntimeMs=<ms>}: Flink's own time from the job's submission
   * to its end, which leaves out the MiniCluster's start. The benchmark driver reads it.
   */
  static void executeAndReport(StreamExecutionEnvironment env, String name) throws Exception {
    long ms = env.execute(name).getNetRuntime(java.util.concurrent.TimeUnit.MILLISECONDS);
    System.out.println("netRuntimeMs=" + ms);
  }
}
