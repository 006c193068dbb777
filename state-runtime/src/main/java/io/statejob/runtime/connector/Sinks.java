package io.statejob.runtime.connector;

import io.statejob.runtime.api.JobParameters;
import io.statejob.runtime.api.Sink;

/**
 * The sink a job's arguments choose: {@code --sink discard|stdout|file --output <dir|uri>}; {@code
 * file} writes exactly once (see {@link FileSink}), to a local directory or an {@code s3a://} URI.
 */
public final class Sinks {
  private Sinks() {}

  /** Standard output is opt-in, so a local run's terminal shows progress, not every record. */
  public static <T> Sink<T> fromParameters(JobParameters parameters) {
    String kind = parameters.get("sink", "discard");
    return switch (kind) {
      case "discard" -> new DiscardSink<>();
      case "stdout" -> new PrintSink<>();
      case "file" -> FileSink.to(parameters.get("output", "output"));
      default ->
          throw new IllegalArgumentException(
              "job argument --sink: '" + kind + "' is not discard, stdout or file");
    };
  }
}
