package io.statejob.benchmarks.state;

import io.statejob.benchmarks.workload.StateWorkload;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.serialization.Serializers;
import java.io.IOException;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@code ListState<Long>}, as Flink's {@code ListStateBenchmark}: each setup key holds one element
 * at the start of every iteration (a fresh backend each time, since adds grow the lists).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
public class ListStateBenchmark {
  @Param({"heap", "rocksdb"})
  public String backend;

  private final StateWorkload workload = new StateWorkload();
  private BenchmarkBackend keyed;
  private ListState<Long> list;

  @Setup(Level.Iteration)
  public void setUp() throws IOException {
    keyed = new BenchmarkBackend(backend);
    list = keyed.state(new ListStateDescriptor<>("list", Serializers.LONG));
    for (long key = 0; key < StateWorkload.SETUP_KEYS; key++) {
      keyed.setCurrentKey(key);
      list.add(workload.randomValue());
    }
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws IOException {
    keyed.close();
  }

  @Benchmark
  public void listUpdate() {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    list.update(List.of(workload.value()));
  }

  @Benchmark
  public void listAdd() {
    workload.next();
    keyed.setCurrentKey(workload.newKey());
    list.update(List.of(workload.value()));
  }

  @Benchmark
  public void listAppend() {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    list.add(workload.value());
  }

  @Benchmark
  public Iterable<Long> listGet() {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    return list.get();
  }

  @Benchmark
  public void listGetAndIterate(Blackhole blackhole) {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    for (Long element : list.get()) {
      blackhole.consume(element);
    }
  }

  @Benchmark
  public void listAddAll() {
    workload.next();
    keyed.setCurrentKey(workload.setupKey());
    list.addAll(workload.listValues());
  }
}
