package io.statejob.benchmarks.flink.state;

import io.statejob.benchmarks.workload.StateWorkload;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.state.benchmark.StateBackendBenchmarkUtils;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Flink 2.3's {@code MapState<Long, Double>} on the workload of StateJob's {@code
 * MapStateBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class FlinkMapStateBenchmark {
  @Param({"heap", "rocksdb"})
  public String backend;

  private final StateWorkload workload = new StateWorkload();
  private KeyedStateBackend<Long> keyed;
  private MapState<Long, Double> map;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keyed = FlinkBackends.create(backend);
    map =
        StateBackendBenchmarkUtils.getMapState(
            keyed, new MapStateDescriptor<>("map", Long.class, Double.class));
    for (long key = 0; key < StateWorkload.SETUP_KEYS; key++) {
      keyed.setCurrentKey(key);
      for (int i = 0; i < StateWorkload.MAP_KEYS; i++) {
        map.put(workload.mapKeyAt(i), (double) workload.randomValue());
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    StateBackendBenchmarkUtils.cleanUp(keyed);
  }

  @Benchmark
  public void mapUpdate() throws Exception {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    map.put(workload.mapKey(), workload.mapValue());
  }

  @Benchmark
  public void mapAdd() throws Exception {
    workload.next();
    keyed.setCurrentKey(workload.newKey());
    map.put(workload.mapKey(), workload.mapValue());
  }

  @Benchmark
  public Double mapGet() throws Exception {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    return map.get(workload.mapKey());
  }

  @Benchmark
  public boolean mapContains() throws Exception {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    return map.contains(workload.mapKey() << 1);
  }

  @Benchmark
  @OperationsPerInvocation(StateWorkload.MAP_KEYS)
  public void mapIterator(Blackhole blackhole) throws Exception {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    for (Map.Entry<Long, Double> entry : map.entries()) {
      blackhole.consume(entry.getKey());
      blackhole.consume(entry.getValue());
    }
  }

  @Benchmark
  public void mapRemove() throws Exception {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    map.remove(workload.mapKey());
  }
}
