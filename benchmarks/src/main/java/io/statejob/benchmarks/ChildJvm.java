package io.statejob.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One side of a comparison, run to its end in a JVM of its own with the options given. */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * Runs {@code mainClass} with {@code args}; its output goes to {@code log}, and a non-zero exit
   * fails with the log's end.
   */
  public static void run(
      List<String> javaOptions, String classPath, String mainClass, List<String> args, Path log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(javaOptions);
    command.addAll(List.of("-cp", classPath, mainClass));
    command.addAll(args);
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int exit = process.waitFor();
    if (exit != 0) {
      List<String> lines = Files.readAllLines(log);
      throw new IllegalStateException(
          mainClass
              + " exited with "
              + exit
              + "; the end of "
              + log
              + ":\n"
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
    }
  }
}
