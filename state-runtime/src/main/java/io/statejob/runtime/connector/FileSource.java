package io.statejob.runtime.connector;

import io.statejob.runtime.api.JobParameters;
import io.statejob.runtime.api.Source;
import io.statejob.runtime.api.SourceSplit;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The lines of a local text file, or of every file in a directory, bounded. Each file is a split
 * (its id is the file name); the offset of a line is its number, so a replay from any offset skips
 * to that line. With a timestamp field, line fields are comma-separated and field {@code
 * timestampField} (0-based) holds the event time in epoch millis.
 */
public final class FileSource implements Source<String> {
  private final Path path;
  private final int timestampField;

  /**
   * @param timestampField the comma-separated field with the event time, or -1 for none
   */
  public FileSource(Path path, int timestampField) {
    this.path = path.toAbsolutePath();
    this.timestampField = timestampField;
  }

  /** From job arguments {@code --input <file> [--timestamp-field <n>]}. */
  public static FileSource fromParameters(JobParameters parameters) {
    String input = parameters.get("input", null);
    if (input == null) {
      throw new IllegalArgumentException("the file source needs job argument --input <file>");
    }
    return new FileSource(Path.of(input), (int) parameters.getLong("timestamp-field", -1));
  }

  @Override
  public String name() {
    return "file " + path;
  }

  /** The event time in the line's timestamp field, when the source has one. */
  private long timestampOf(String line) {
    if (timestampField < 0) {
      return Long.MIN_VALUE;
    }
    String[] fields = line.split(",", -1);
    if (timestampField >= fields.length) {
      throw new IllegalArgumentException(
          "line '" + line + "' of " + path + " has no field " + timestampField + " (timestamp)");
    }
    try {
      return Long.parseLong(fields[timestampField].trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "field " + timestampField + " of line '" + line + "' in " + path + " is not a timestamp");
    }
  }

  /** One split per regular file: the input itself, or the files directly in it, by name. */
  @Override
  public List<SourceSplit> splits() throws IOException {
    if (!Files.isDirectory(path)) {
      if (!Files.isRegularFile(path)) {
        throw new IOException("the file source's input " + path + " does not exist");
      }
      return List.of(new SourceSplit(path.getFileName().toString()));
    }
    try (Stream<Path> files = Files.list(path)) {
      return files
          .filter(Files::isRegularFile)
          .map(file -> new SourceSplit(file.getFileName().toString()))
          .sorted()
          .toList();
    }
  }

  private Path fileOf(SourceSplit split) {
    return Files.isDirectory(path) ? path.resolve(split.id()) : path;
  }

  @Override
  public Reader<String> createReader(SourceSplit split, long startOffset) throws IOException {
    Path file = fileOf(split);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          "split '" + split.id() + "' of the file source is gone: " + file + " does not exist");
    }
    BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    long first = startOffset == INITIAL_OFFSET ? 0 : startOffset;
    for (long skipped = 0; skipped < first && lines.readLine() != null; skipped++) {}
    return new Reader<>() {
      private long next = first;
      private boolean finished;

      @Override
      public String next() throws IOException {
        String line = finished ? null : lines.readLine();
        if (line == null) {
          finished = true;
          return null;
        }
        next++;
        return line;
      }

      @Override
      public long timestampOf(String line) {
        return FileSource.this.timestampOf(line);
      }

      @Override
      public long offset() {
        return next;
      }

      @Override
      public boolean isFinished() {
        return finished;
      }

      @Override
      public long nanosUntilNext() {
        return 0;
      }

      @Override
      public void close() throws IOException {
        lines.close();
      }
    };
  }
}
