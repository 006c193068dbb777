package io.statejob.benchmarks.flink.state;

import io.statejob.benchmarks.workload.StateWorkload;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Flink 2.3's {@code ListState<Long>} on the workload of StateJob's {@code ListStateBenchmark}: a
 * fresh backend with one element per setup key at the start of every iteration.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class FlinkListStateBenchmark {
  @Param({"heap", "rocksdb"})
  public String backend;

  private final StateWorkload workload = new StateWorkload();
  private KeyedStateBackend<Long> keyed;
  private ListState<Long> list;

  @Setup(Level.Iteration)
  public void setUp() throws Exception {
    keyed = FlinkBackends.create(backend);
    list =
        StateBackendBenchmarkUtils.getListState(
            keyed, new ListStateDescriptor<>("list", Long.class));
    for (long key = 0; key < StateWorkload.SETUP_KEYS; key++) {
      keyed.setCurrentKey(key);
      list.add(workload.randomValue());
    }
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws IOException {
    StateBackendBenchmarkUtils.cleanUp(keyed);
  }

  @Benchmark
  public void listUpdate() throws Exception {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    list.update(List.of(workload.value()));
  }

  @Benchmark
  public void listAdd() throws Exception {
    workload.next();
    keyed.setCurrentKey(workload.newKey());
    list.update(List.of(workload.value()));
  }

  @Benchmark
  public void listAppend() throws Exception {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    list.add(workload.value());
  }

  @Benchmark
  public Iterable<Long> listGet() throws Exception {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    return list.get();
  }

  @Benchmark
  public void listGetAndIterate(Blackhole blackhole) throws Exception {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    for (Long element : list.get()) {
      blackhole.consume(element);
    }
  }

  @Benchmark
  public void listAddAll() throws Exception {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    list.addAll(workload.listValues());
  }
}
