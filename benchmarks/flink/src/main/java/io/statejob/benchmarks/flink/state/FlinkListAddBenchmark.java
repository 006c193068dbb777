package io.statejob.benchmarks.flink.state;

import java.io.File;
import java.nio.file.Files;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.state.benchmark.StateBackendBenchmarkUtils;
import org.apache.flink.state.benchmark.StateBackendBenchmarkUtils.StateBackendType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Flink 2.3's {@code ListState<Long>.add} on its EmbeddedRocksDB backend, built as flink-benchmarks
 * builds it ({@code StateBackendBenchmarkUtils}), on the workload of StateJob's {@code
 * ListAddBenchmark}: 500,000 {@code Long} keys with one element each before measuring, then an add
 * of a random value under a random key per operation.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class FlinkListAddBenchmark {
  static final int SETUP_KEYS = 500_000;

  private final SplittableRandom random = new SplittableRandom(42);
  private final long[] keys = new long[SETUP_KEYS];
  private File directory;
  private KeyedStateBackend<Long> backend;
  private ListState<Long> list;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    directory = Files.createTempDirectory("flink-list-add-bench").toFile();
    backend =
        StateBackendBenchmarkUtils.createKeyedStateBackend(StateBackendType.ROCKSDB, directory);
    list =
        StateBackendBenchmarkUtils.getListState(
            backend, new ListStateDescriptor<>("list", Long.class));
    for (int i = 0; i < SETUP_KEYS; i++) {
      keys[i] = random.nextLong();
      backend.setCurrentKey(keys[i]);
      list.add(random.nextLong());
    }
  }

  @Benchmark
  public void flink() throws Exception {
    backend.setCurrentKey(keys[random.nextInt(SETUP_KEYS)]);
    list.add(random.nextLong());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    StateBackendBenchmarkUtils.cleanUp(backend);
  }
}
