package io.statejob.runtime.testing;

import io.statejob.runtime.cli.StateJobCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code statejob} commands in child JVMs, for tests that kill a run with SIGKILL. */
public final class CliProcesses {
  private CliProcesses() {}

  /** Starts {@code statejob <args>} with this JVM's class path; its output goes to {@code log}. */
  public static Process start(Path workDir, Path log, Map<String, String> env, List<String> args)
      throws java.io.IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java, "-cp", System.getProperty("java.class.path"), StateJobCli.class.getName()));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Waits until the run's output shows {@code count} completed checkpoints; false if it ended. */
  public static boolean awaitCheckpoints(Process process, Path log, int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && process.isAlive()) {
      String output = Files.exists(log) ? Files.readString(log) : "";
      if (output.contains("(final)")) {
        return false;
      }
      if (output.split("completed in", -1).length - 1 >= count) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }
}
