package io.statejob.runtime.api;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.api.eventtime.WatermarkStrategy;
import java.util.Optional;

/** Where a program declares its pipeline and, optionally, its state backend. */
public final class StreamEnvironment {
  private final JobParameters parameters;
  private final RuntimeConfig config;
  private final Pipeline.Builder pipeline = new Pipeline.Builder();
  private String stateBackend;

  public StreamEnvironment(JobParameters parameters, RuntimeConfig config) {
    this.parameters = parameters;
    this.config = config;
  }

  public JobParameters parameters() {
    return parameters;
  }

  /**
   * The job's runtime configuration (manifest, cluster default and {@code -D}), where connectors
   * find their client settings ({@code kafka.*}) and the checkpoint interval they depend on.
   */
  public RuntimeConfig config() {
    return config;
  }

  /** A source without watermarks: event-time timers and windows fire at its end only. */
  public <T> DataStream<T> fromSource(Source<T> source) {
    return fromSource(source, WatermarkStrategy.noWatermarks());
  }

  /** A source whose records carry event time, with watermarks as {@code watermarks} derives. */
  public <T> DataStream<T> fromSource(Source<T> source, WatermarkStrategy<T> watermarks) {
    pipeline.source(source, watermarks);
    return new DataStream<>(pipeline);
  }

  /**
   * Chooses the state backend in code: {@code memory}, {@code filesystem}, {@code rocksdb} or a
   * factory class name. Takes precedence over the manifest and the cluster default.
   */
  public StreamEnvironment setStateBackend(String backend) {
    this.stateBackend = backend;
    return this;
  }

  /**
   * Chooses a custom state backend in code: {@code factory} implements {@code
   * io.statejob.runtime.state.StateBackendFactory}, which the runtime checks when the job starts.
   */
  public StreamEnvironment setStateBackend(Class<?> factory) {
    return setStateBackend(factory.getName());
  }

  public Optional<String> stateBackend() {
    return Optional.ofNullable(stateBackend);
  }

  public Pipeline pipeline() {
    return pipeline.build();
  }
}
