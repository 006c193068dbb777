package io.statejob.benchmarks.state;

import io.statejob.benchmarks.workload.StateWorkload;
import io.statejob.runtime.api.state.ValueState;
import io.statejob.runtime.api.state.ValueStateDescriptor;
import io.statejob.runtime.serialization.Serializers;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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

/** {@code ValueState<Long>}, as Flink's {@code ValueStateBenchmark}: one value per setup key. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class ValueStateBenchmark {
  @Param({"heap", "rocksdb"})
  public String backend;

  private final StateWorkload workload = new StateWorkload();
  private BenchmarkBackend keyed;
  private ValueState<Long> value;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    keyed = new BenchmarkBackend(backend);
    value = keyed.state(new ValueStateDescriptor<>("value", Serializers.LONG));
    for (long key = 0; key < StateWorkload.SETUP_KEYS; key++) {
      keyed.setCurrentKey(key);
      value.update(workload.randomValue());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    keyed.close();
  }

  @Benchmark
  public void valueUpdate() {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    value.update(workload.value());
  }

  @Benchmark
  public void valueAdd() {
    workload.next();
    keyed.setCurrentKey(workload.newKey());
    value.update(workload.value());
  }

  @Benchmark
  public Long valueGet() {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    return value.value();
  }
}
