package io.statejob.benchmarks.flink.state;

import io.statejob.benchmarks.workload.StateWorkload;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.state.benchmark.StateBackendBenchmarkUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Flink 2.3's {@code ValueState<Long>} on the workload of StateJob's {@code ValueStateBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class FlinkValueStateBenchmark {
  @Param({"heap", "rocksdb"})
  public String backend;

  private final StateWorkload workload = new StateWorkload();
  private KeyedStateBackend<Long> keyed;
  private ValueState<Long> value;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keyed = FlinkBackends.create(backend);
    value =
        StateBackendBenchmarkUtils.getValueState(
            keyed, new ValueStateDescriptor<>("value", Long.class));
    for (long key = 0; key < StateWorkload.SETUP_KEYS; key++) {
      keyed.setCurrentKey(key);
      value.update(workload.randomValue());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    StateBackendBenchmarkUtils.cleanUp(keyed);
  }

  @Benchmark
  public void valueUpdate() throws IOException {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    value.update(workload.value());
  }

  @Benchmark
  public void valueAdd() throws IOException {
    workload.next();
    keyed.setCurrentKey(workload.newKey());
    value.update(workload.value());
  }

  @Benchmark
  public Long valueGet() throws IOException {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    return value.value();
  }
}
