package io.statejob.benchmarks.state;

import io.statejob.benchmarks.workload.StateWorkload;
import io.statejob.runtime.api.state.MapState;
import io.statejob.runtime.api.state.MapStateDescriptor;
import io.statejob.runtime.serialization.Serializers;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * {@code MapState<Long, Double>}, as Flink's {@code MapStateBenchmark}: 10 entries per setup key.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class MapStateBenchmark {
  @Param({"heap", "rocksdb"})
  public String backend;

  private final StateWorkload workload = new StateWorkload();
  private BenchmarkBackend keyed;
  private MapState<Long, Double> map;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    keyed = new BenchmarkBackend(backend);
    map = keyed.state(new MapStateDescriptor<>("map", Serializers.LONG, Serializers.DOUBLE));
    for (long key = 0; key < StateWorkload.SETUP_KEYS; key++) {
      keyed.setCurrentKey(key);
      for (int i = 0; i < StateWorkload.MAP_KEYS; i++) {
        map.put(workload.mapKeyAt(i), (double) workload.randomValue());
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    keyed.close();
  }

  @Benchmark
  public void mapUpdate() {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    map.put(workload.mapKey(), workload.mapValue());
  }

  @Benchmark
  public void mapAdd() {
    workload.next();
    keyed.setCurrentKey(workload.newKey());
    map.put(workload.mapKey(), workload.mapValue());
  }

  @Benchmark
  public Double mapGet() {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    return map.get(workload.mapKey());
  }

  @Benchmark
  public boolean mapContains() {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    return map.contains(workload.mapKey() << 1);
  }

  @Benchmark
  @OperationsPerInvocation(StateWorkload.MAP_KEYS)
  public void mapIterator(Blackhole blackhole) {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    for (Map.Entry<Long, Double> entry : map.entries()) {
      blackhole.consume(entry.getKey());
      blackhole.consume(entry.getValue());
    }
  }

  @Benchmark
  public void mapRemove() {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    map.remove(workload.mapKey());
  }
}
