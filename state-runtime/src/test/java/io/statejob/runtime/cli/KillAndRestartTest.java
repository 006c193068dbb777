package io.statejob.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
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
  @ValueSource(strings = {"memory.yaml", "filesystem.yaml", "operator-state.yaml"})
  void theFinalStateAfterRepeatedSigkillsEqualsThatOfAnUninterruptedRun(String manifest)
      throws Exception {
    Path reference = temp.resolve("reference");
    Path killed = temp.resolve("killed");
    assertThat(runToCompletion(manifest, reference, "reference"))
        .contains("finished: final checkpoint");

    long seed = System.nanoTime();
    Random random = new Random(seed);
    int killedWhileRunning = 0;
    for (int i = 0; i < KILLS; i++) {
      Process process = start(manifest, killed, "killed-" + i);
      Thread.sleep(1_500 + random.nextInt(2_500));
      if (process.isAlive()) {
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
        killedWhileRunning++;
      }
      process.waitFor(30, TimeUnit.SECONDS);
    }
    String last = runToCompletion(manifest, killed, "final");

    assertThat(killedWhileRunning)
        .as("kills that hit a running job (seed %d)", seed)
        .isEqualTo(KILLS);
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

  static {
    assertThat(new File(EXAMPLES.toFile(), "memory.yaml")).exists();
  }
}
