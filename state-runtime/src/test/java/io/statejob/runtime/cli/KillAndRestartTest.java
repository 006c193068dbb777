package io.statejob.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Runs an example manifest in a child JVM, kills it with SIGKILL at random moments, restarts it
 * each time, and compares the final checkpoint's dump with that of a run without failures.
 */
class KillAndRestartTest {
  private static final Path EXAMPLES = Path.of("..", "examples", "local");
  private static final int KILLS = 3;

  @TempDir Path temp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory.yaml", "filesystem.yaml", "operator-state.yaml", "rocksdb.yaml"})
  void theFinalStateAfterRepeatedSigkillsEqualsThatOfAnUninterruptedRun(String manifest)
      throws Exception {
    Path reference = temp.resolve("reference");
    Path killed = temp.resolve("killed");
    assertThat(runToCompletion(manifest, reference, "reference"))
        .contains("finished: final checkpoint");

    long seed = System.nanoTime();
    Random random = new Random(seed);
    int kills = 0;
    for (int i = 0; i < KILLS; i++) {
      Process process = start(manifest, killed, "killed-" + i);
      // kill at a random moment after one or two checkpoints of this run, so some state is saved
      if (!awaitCheckpoints(process, temp.resolve("killed-" + i + ".log"), 1 + random.nextInt(2))) {
        break; // the job finished before the kill
      }
      Thread.sleep(random.nextInt(1_000));
      if (!process.isAlive()) {
        break;
      }
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
      process.waitFor(30, TimeUnit.SECONDS);
      kills++;
    }
    String last = runToCompletion(manifest, killed, "final");

    assertThat(kills).as("kills that hit a running job (seed %d)", seed).isGreaterThanOrEqualTo(2);
    assertThat(last).as("seed %d", seed).contains("restoring from checkpoint").contains("finished");
    List<String> expected = dump(reference);
    assertThat(expected).isNotEmpty();
    assertThat(dump(killed)).as("dump after kills (seed %d)", seed).isEqualTo(expected);
  }

  private Process start(String manifest, Path checkpoints, String logName) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            StateJobCli.class.getName(),
            "run",
            EXAMPLES.resolve(manifest).toString(),
            "--checkpoint-dir",
            checkpoints.toUri().toString())
        .redirectErrorStream(true)
        .redirectOutput(temp.resolve(logName + ".log").toFile())
        .start();
  }

  /** Waits until the run's output shows {@code count} completed checkpoints; false if it ended. */
  private static boolean awaitCheckpoints(Process process, Path log, int count) throws Exception {
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

  private String runToCompletion(String manifest, Path checkpoints, String logName)
      throws Exception {
    Process process = start(manifest, checkpoints, logName);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished in time", logName).isTrue();
    String output = Files.readString(temp.resolve(logName + ".log"));
    assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
    return output;
  }

  private static List<String> dump(Path checkpoints) {
    StringWriter out = new StringWriter();
    CommandLine cli = StateJobCli.commandLine().setOut(new PrintWriter(out));
    int exit = cli.execute("checkpoints", "dump", checkpoints.toString());
    assertThat(exit).isZero();
    return out.toString().lines().toList();
  }
}
