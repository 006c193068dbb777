package io.statejob.runtime.connector;

import io.statejob.runtime.api.RuntimeContext;
import io.statejob.runtime.api.Sink;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends records as lines to {@code <dir>/part-<subtask>}. At-least-once: after a restore, records
 * since the last checkpoint are written again.
 */
public final class FileSink<T> implements Sink<T> {
  private final Path directory;
  private BufferedWriter writer;

  public FileSink(Path directory) {
    this.directory = directory;
  }

  @Override
  public void open(RuntimeContext context) throws IOException {
    Files.createDirectories(directory);
    writer =
        Files.newBufferedWriter(
            directory.resolve("part-" + context.subtaskIndex()),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
  }

  @Override
  public void write(T record) throws IOException {
    writer.write(String.valueOf(record));
    writer.newLine();
  }

  @Override
  public void close() throws IOException {
    if (writer != null) {
      writer.close();
    }
  }
}
