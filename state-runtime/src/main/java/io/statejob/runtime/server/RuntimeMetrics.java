package io.statejob.runtime.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.statejob.runtime.concurrent.DaemonThreads;
import io.statejob.runtime.execution.JobListener;
import io.statejob.runtime.execution.WorkerCounters;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.state.BackendGauge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * A process's Prometheus metrics: records and records/s, checkpoint duration (a histogram) and
 * sizes, the age of the last completed checkpoint (the usual alert), failed checkpoints, restores
 * and restarts, and the JVM's and the process's own. Every series carries the process's tags
 * ({@code job}, {@code role}, {@code namespace}, {@code subtask}). As a {@link JobListener} it
 * follows the job it is given.
 */
public final class RuntimeMetrics implements JobListener, AutoCloseable {
  private static final Duration RATE_WINDOW = Duration.ofSeconds(5);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ScheduledExecutorService sampler = DaemonThreads.scheduler("metrics-sampler");
  private final AtomicLong stateSizeBytes = new AtomicLong();
  private final AtomicLong uploadedBytes = new AtomicLong();
  private final AtomicLong latestCheckpointId = new AtomicLong();

  /** When the last checkpoint completed, or the first attempt started; 0 before either. */
  private final AtomicLong lastProgressMillis = new AtomicLong();

  private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
  private final Timer checkpointDuration;
  private final Timer checkpointAlignment;
  private final Counter checkpointsCompleted;
  private final Counter checkpointsFailed;
  private final Counter savepointsCompleted;
  private final Counter restores;
  private final Counter restarts;

  /** What function counters read: Micrometer holds it weakly, and nothing else may hold it. */
  private final List<Object> measured = new ArrayList<>();

  /**
   * Metrics of a process whose workers have done what {@code workers} says so far.
   *
   * @param tags of every series: the job, the process's role, its namespace and subtask if any
   */
  public RuntimeMetrics(Supplier<WorkerCounters> workers, Tags tags) {
    registry.config().commonTags(tags);
    for (MeterBinder binder :
        List.of(
            new JvmMemoryMetrics(),
            gcMetrics,
            new JvmThreadMetrics(),
            new ClassLoaderMetrics(),
            new ProcessorMetrics(),
            new UptimeMetrics())) {
      binder.bindTo(registry);
    }
    LongSupplier records = () -> workers.get().recordsProcessed();
    counter(
        "statejob.records.processed",
        null,
        records,
        LongSupplier::getAsLong,
        "Records processed by the current attempt");
    counter(
        "statejob.records.read",
        null,
        workers,
        w -> w.get().recordsRead(),
        "Records the sources of the current attempt read");
    counter(
        "statejob.exchange.records.sent",
        null,
        workers,
        w -> w.get().recordsSent(),
        "Records sent to another worker by the current attempt");
    counter(
        "statejob.exchange.records.received",
        null,
        workers,
        w -> w.get().recordsReceived(),
        "Records received from another worker by the current attempt");
    counter(
        "statejob.exchange.backpressure",
        "seconds",
        workers,
        w -> w.get().backpressureNanos() / 1e9,
        "Time stages waited for a receiver's room (credit) in the current attempt");
    AtomicLong perSecond = new AtomicLong();
    AtomicLong last = new AtomicLong(records.getAsLong());
    sampler.scheduleAtFixedRate(
        () -> {
          long now = records.getAsLong();
          long delta = now - last.getAndSet(now);
          perSecond.set(Math.max(0, delta) / RATE_WINDOW.toSeconds());
        },
        RATE_WINDOW.toMillis(),
        RATE_WINDOW.toMillis(),
        TimeUnit.MILLISECONDS);
    Gauge.builder(
            "statejob.watermark.lag",
            workers,
            w -> w.get().watermarkLagSeconds(System.currentTimeMillis()))
        .baseUnit("seconds")
        .description(
            "How far the keyed stages' event time is behind the clock (NaN without event time)")
        .register(registry);
    Gauge.builder("statejob.source.pending.records", workers, w -> w.get().pendingRecordsOrNaN())
        .description(
            "Records the source's splits hold past the job's position: a Kafka consumer's lag"
                + " (NaN for a source that does not know)")
        .register(registry);
    Gauge.builder("statejob.records.per.second", perSecond, AtomicLong::get)
        .description("Records processed per second over the last " + RATE_WINDOW.toSeconds() + "s")
        .register(registry);
    Gauge.builder("statejob.state.size", stateSizeBytes, AtomicLong::get)
        .baseUnit("bytes")
        .description("State held by the latest completed checkpoint")
        .register(registry);
    Gauge.builder("statejob.checkpoint.uploaded", uploadedBytes, AtomicLong::get)
        .baseUnit("bytes")
        .description("Bytes written by the latest completed checkpoint")
        .register(registry);
    Gauge.builder("statejob.checkpoint.latest.id", latestCheckpointId, AtomicLong::get)
        .description("Number of the latest completed checkpoint")
        .register(registry);
    checkpointDuration =
        Timer.builder("statejob.checkpoint.duration")
            .description("Time from trigger to completion of checkpoints")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(10))
            .maximumExpectedValue(Duration.ofMinutes(10))
            .register(registry);
    checkpointAlignment =
        Timer.builder("statejob.checkpoint.alignment")
            .description("Longest wait of a stage for a checkpoint's barrier from every worker")
            .register(registry);
    checkpointsCompleted = Counter.builder("statejob.checkpoints.completed").register(registry);
    checkpointsFailed = Counter.builder("statejob.checkpoints.failed").register(registry);
    savepointsCompleted = Counter.builder("statejob.savepoints.completed").register(registry);
    restores =
        Counter.builder("statejob.restores")
            .description("Attempts started from a checkpoint")
            .register(registry);
    restarts =
        Counter.builder("statejob.restarts")
            .description("Restarts of all workers after a failure")
            .register(registry);
  }

  public String scrape() {
    return registry.scrape();
  }

  /** A counter that reads {@code value} of {@code source}, which this keeps reachable. */
  private <T> void counter(
      String name, String baseUnit, T source, ToDoubleFunction<T> value, String description) {
    measured.add(source);
    FunctionCounter.builder(name, source, value)
        .baseUnit(baseUnit)
        .description(description)
        .register(registry);
  }

  /** The coordinator's snapshot in progress, from when it started (epoch millis, 0: none). */
  public void snapshotInProgress(LongSupplier since) {
    measured.add(since);
    Gauge.builder("statejob.checkpoints.in.progress", since, s -> s.getAsLong() > 0 ? 1 : 0)
        .description("Checkpoints or savepoints in progress (at most one)")
        .register(registry);
    Gauge.builder(
            "statejob.checkpoint.in.progress.age",
            since,
            s ->
                s.getAsLong() > 0
                    ? Math.max(0, System.currentTimeMillis() - s.getAsLong()) / 1000.0
                    : 0.0)
        .baseUnit("seconds")
        .description("How long the snapshot in progress has run; 0 when none is")
        .register(registry);
  }

  /** What the process's state backend measures of itself (RocksDB's native memory). */
  public void backendGauges(List<BackendGauge> gauges) {
    for (BackendGauge gauge : gauges) {
      Gauge.builder(gauge.name(), gauge.value(), DoubleSupplier::getAsDouble)
          .baseUnit(gauge.baseUnit())
          .description(gauge.description())
          .register(registry);
    }
  }

  /** The bytes a worker process's exchange sent and received over the network. */
  public void exchangeBytes(LongSupplier sent, LongSupplier received) {
    counter(
        "statejob.exchange.sent",
        "bytes",
        sent,
        LongSupplier::getAsLong,
        "Bytes of records sent to other workers");
    counter(
        "statejob.exchange.received",
        "bytes",
        received,
        LongSupplier::getAsLong,
        "Bytes of records received from other workers");
  }

  /**
   * The tags of a process of job {@code jobId} in {@code role}; the namespace comes from the pod
   * ({@code POD_NAMESPACE}) when there is one.
   */
  public static Tags tags(String jobId, String role) {
    String namespace = System.getenv("POD_NAMESPACE");
    Tags tags = Tags.of("job", jobId, "role", role);
    return namespace == null ? tags : tags.and("namespace", namespace);
  }

  @Override
  public void started(Optional<CompletedCheckpoint> restoredFrom, int attempt) {
    if (restoredFrom.isPresent()) {
      restores.increment();
    }
    // the coordinator's: the job checkpoints from its first attempt on
    if (lastProgressMillis.compareAndSet(0, System.currentTimeMillis())) {
      Gauge.builder(
              "statejob.checkpoint.last.completed.age",
              lastProgressMillis,
              since -> (System.currentTimeMillis() - since.get()) / 1000.0)
          .baseUnit("seconds")
          .description(
              "Time since the last checkpoint completed (since the job started, before the first)")
          .register(registry);
    }
  }

  @Override
  public void checkpointCompleted(CompletedCheckpoint checkpoint, long durationMs) {
    checkpointsCompleted.increment();
    checkpointDuration.record(Duration.ofMillis(durationMs));
    checkpointAlignment.record(Duration.ofMillis(checkpoint.metadata().alignmentMillis()));
    stateSizeBytes.set(checkpoint.metadata().stateSize());
    uploadedBytes.set(checkpoint.metadata().uploadedSize());
    latestCheckpointId.set(checkpoint.id());
    lastProgressMillis.set(System.currentTimeMillis());
  }

  @Override
  public void checkpointFailed(long checkpointId, String reason) {
    checkpointsFailed.increment();
  }

  @Override
  public void savepointCompleted(CompletedCheckpoint savepoint, long durationMs) {
    savepointsCompleted.increment();
  }

  @Override
  public void restarting(int attempt, Throwable cause) {
    restarts.increment();
  }

  /** A worker counts its own restores. */
  public void restored() {
    restores.increment();
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    gcMetrics.close();
    registry.close();
  }
}
