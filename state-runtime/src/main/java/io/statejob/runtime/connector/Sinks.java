package io.statejob.runtime.connector;

import io.statejob.runtime.api.JobParameters;
import io.statejob.runtime.api.Sink;
import java.nio.file.Path;

/**
 * The sink a job's arguments choose: {@code --sink discard|stdout|file --output <dir>}; {@code
 * file} writes exactly once (see {@link FileSink}).
 */
public final class Sinks {
  private Sinks() {}

  /** Standard output is opt-in, so a local run's terminal shows progress, not every record. */
  public static <T> Sink<T> fromParameters(JobParameters parameters) {
    String kind = parameters.get("sink", "discard");
    return switch (kind) {
      case "discard" -> new DiscardSink<>();
      case "stdout" -> new PrintSink<>();
      case "file" -> new FileSink<>(Path.of(parameters.get("output", "output")));
      default ->
          throw new IllegalArgumentException(
              "job argument --sink: '" + kind + "' is not discard, stdout or file");
    };
  }
}
