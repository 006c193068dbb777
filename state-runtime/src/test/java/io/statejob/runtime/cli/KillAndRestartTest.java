package io.statejob.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.statejob.runtime.execution.FileSinkTest;
import io.statejob.runtime.testing.CliProcesses;
import io.statejob.runtime.testing.LocalS3Server;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Runs an example manifest in a child JVM, kills it with SIGKILL at random moments, restarts it
 * each time, and compares the final checkpoint's dump with that of a run without failures.
 */
class KillAndRestartTest {
  private static final Path EXAMPLES = Path.of("..", "examples", "local").toAbsolutePath();
  private static final int KILLS = 3;

  @TempDir Path temp;

  /** How to run the CLI on a manifest: extra arguments, environment, working directory. */
  private record Run(String manifest, List<String> args, Map<String, String> env, Path workDir) {}

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"memory.yaml", "filesystem.yaml", "operator-state.yaml", "rocksdb.yaml"})
  void theFinalStateAfterRepeatedSigkillsEqualsThatOfAnUninterruptedRun(String manifest)
      throws Exception {
    String reference = temp.resolve("reference").toUri().toString();
    String killed = temp.resolve("killed").toUri().toString();
    assertEqualFinalStateDespiteKills(
        new Run(manifest, List.of("--checkpoint-dir", reference), Map.of(), temp),
        new Run(manifest, List.of("--checkpoint-dir", killed), Map.of(), temp),
        reference,
        killed,
        List.of(),
        line -> true);
  }

  @Test
  void rocksdbOnS3SurvivesSigkillsAndCleansUp() throws Exception {
    try (LocalS3Server s3 = LocalS3Server.start("statejob")) {
      // the child processes get credentials the standard way, from the environment
      Map<String, String> credentials =
          Map.of(
              "AWS_ACCESS_KEY_ID", LocalS3Server.ACCESS_KEY,
              "AWS_SECRET_ACCESS_KEY", LocalS3Server.SECRET_KEY);
      String endpoint = "fs.s3a.endpoint=" + s3.endpoint();
      List<String> storageFlags = new ArrayList<>();
      s3.s3aConfig().forEach((k, v) -> storageFlags.addAll(List.of("-D", k + "=" + v)));
      assertEqualFinalStateDespiteKills(
          new Run(
              "rocksdb-s3.yaml",
              List.of("-D", endpoint, "--checkpoint-dir", "s3a://statejob/reference"),
              credentials,
              temp),
          new Run(
              "rocksdb-s3.yaml",
              List.of("-D", endpoint, "--checkpoint-dir", "s3a://statejob/killed"),
              credentials,
              temp),
          "s3a://statejob/reference",
          "s3a://statejob/killed",
          storageFlags,
          line -> true);
      s3.pruneEmptyPrefixes();
      List<String> listing = cli("list", "s3a://statejob/killed", storageFlags).lines().toList();
      if (listing.stream().filter(l -> l.contains("/chk-")).count() != 3) {
        keepChildLogs("rocksdb-s3.yaml");
      }
      assertThat(listing)
          .filteredOn(l -> l.contains("/chk-"))
          .as("completed checkpoints kept (retained: 3)")
          .hasSize(3);
    }
  }

  @Test
  void committedFileOutputAfterSigkillsHoldsEveryUpdateExactlyOnce() throws Exception {
    List<Path> outputs = killFileOutputExample("exactly-once-file.yaml", "output/keyed-count");
    List<String> expected = FileSinkTest.expectedLines(160_000, 500);
    assertThat(FileSinkTest.committedLines(outputs.get(0))).isEqualTo(expected);
    assertThat(FileSinkTest.committedLines(outputs.get(1)))
        .as("committed output after SIGKILLs")
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"windows-tumbling-rocksdb", "windows-sessions-filesystem"})
  void committedWindowResultsAfterSigkillsEqualThoseOfAnUninterruptedRun(String example)
      throws Exception {
    List<Path> outputs = killFileOutputExample(example + ".yaml", "output/" + example);
    List<String> expected = FileSinkTest.committedLines(outputs.get(0));
    assertThat(expected).hasSizeGreaterThan(10_000);
    List<String> actual = FileSinkTest.committedLines(outputs.get(1));
    if (!actual.equals(expected)) {
      keepChildLogs(example);
    }
    assertThat(difference(expected, actual)).as("results missing after SIGKILLs").isEmpty();
    assertThat(difference(actual, expected)).as("results extra after SIGKILLs").isEmpty();
  }

  /** The lines of {@code from} left after removing one occurrence of each line of {@code minus}. */
  private static List<String> difference(List<String> from, List<String> minus) {
    List<String> rest = new ArrayList<>(from);
    java.util.Map<String, Long> counts = new java.util.HashMap<>();
    minus.forEach(line -> counts.merge(line, 1L, Long::sum));
    rest.removeIf(line -> counts.merge(line, -1L, Long::sum) >= 0);
    return rest;
  }

  /**
   * Runs a manifest that writes files once without failures and once with SIGKILLs, each in its own
   * working directory; returns both runs' output directories (reference, killed).
   */
  private List<Path> killFileOutputExample(String manifest, String output) throws Exception {
    Path referenceDir = Files.createDirectories(temp.resolve("reference-run"));
    Path killedDir = Files.createDirectories(temp.resolve("killed-run"));
    assertEqualFinalStateDespiteKills(
        new Run(
            manifest,
            List.of("--checkpoint-dir", temp.resolve("reference").toUri().toString()),
            Map.of(),
            referenceDir),
        new Run(
            manifest,
            List.of("--checkpoint-dir", temp.resolve("killed").toUri().toString()),
            Map.of(),
            killedDir),
        temp.resolve("reference").toString(),
        temp.resolve("killed").toString(),
        List.of(),
        // the sink's operator state names run-specific files; its effect is checked by the caller
        line -> !line.contains("\"type\":\"operator\""));
    return List.of(referenceDir.resolve(output), killedDir.resolve(output));
  }

  /**
   * Kills the {@code killed} run several times, lets it finish, and compares the dump lines that
   * {@code compared} accepts with those of the uninterrupted {@code reference} run.
   */
  private void assertEqualFinalStateDespiteKills(
      Run reference,
      Run killed,
      String referenceDir,
      String killedDir,
      List<String> storageFlags,
      java.util.function.Predicate<String> compared)
      throws Exception {
    try {
      killAndCompare(reference, killed, referenceDir, killedDir, storageFlags, compared);
    } catch (AssertionError e) {
      keepChildLogs(killed.manifest());
      throw e;
    }
  }

  /** Copies the child processes' output where a CI run's artifacts can show it. */
  private void keepChildLogs(String name) throws Exception {
    Path target = Path.of("target", "kill-test-logs", name);
    Files.createDirectories(target);
    try (var logs = Files.list(temp)) {
      for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
        Files.copy(
            log,
            target.resolve(log.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private void killAndCompare(
      Run reference,
      Run killed,
      String referenceDir,
      String killedDir,
      List<String> storageFlags,
      java.util.function.Predicate<String> compared)
      throws Exception {
    assertThat(runToCompletion(reference, "reference")).contains("finished: final checkpoint");

    long seed = System.nanoTime();
    Random random = new Random(seed);
    int kills = 0;
    for (int i = 0; i < KILLS; i++) {
      Process process = start(killed, "killed-" + i);
      // kill at a random moment after one or two checkpoints of this run, so some state is saved
      if (!CliProcesses.awaitCheckpoints(
          process, temp.resolve("killed-" + i + ".log"), 1 + random.nextInt(2))) {
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
    String last = runToCompletion(killed, "final");

    assertThat(kills).as("kills that hit a running job (seed %d)", seed).isGreaterThanOrEqualTo(2);
    assertThat(last).as("seed %d", seed).contains("restoring from checkpoint").contains("finished");
    List<String> expected = dump(referenceDir, storageFlags).stream().filter(compared).toList();
    assertThat(expected).isNotEmpty();
    assertThat(dump(killedDir, storageFlags).stream().filter(compared).toList())
        .as("dump after kills (seed %d)", seed)
        .isEqualTo(expected);
  }

  /**
   * The example with one datagen split and a watermark at every change: each key's records, and
   * which of them are late, then do not depend on timing, so two runs compare exactly. With several
   * splits, order-dependent state (the last values of a key) and late records may differ between
   * runs, as in Flink; exactly-once over several splits is what the job tests check on counts.
   */
  private Path deterministic(String manifest) throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode root = (ObjectNode) yaml.readTree(EXAMPLES.resolve(manifest).toFile());
    ObjectNode spec = (ObjectNode) root.get("spec");
    ((ArrayNode) spec.get("job").get("args")).add("--splits").add("1");
    ObjectNode config =
        spec.has("config") ? (ObjectNode) spec.get("config") : spec.putObject("config");
    config.put("pipeline.auto-watermark-interval", "0ms");
    Path copy = temp.resolve("deterministic-" + manifest);
    yaml.writeValue(copy.toFile(), root);
    return copy;
  }

  private Process start(Run run, String logName) throws Exception {
    List<String> args = new ArrayList<>(List.of("run", deterministic(run.manifest()).toString()));
    args.addAll(run.args());
    return CliProcesses.start(run.workDir(), temp.resolve(logName + ".log"), run.env(), args);
  }

  private String runToCompletion(Run run, String logName) throws Exception {
    Process process = start(run, logName);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished in time", logName).isTrue();
    String output = Files.readString(temp.resolve(logName + ".log"));
    assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
    return output;
  }

  private static List<String> dump(String checkpoints, List<String> storageFlags) {
    return cli("dump", checkpoints, storageFlags).lines().toList();
  }

  private static String cli(String command, String path, List<String> storageFlags) {
    StringWriter out = new StringWriter();
    CommandLine cli = StateJobCli.commandLine().setOut(new PrintWriter(out));
    List<String> args = new ArrayList<>(List.of("checkpoints", command, path));
    args.addAll(storageFlags);
    assertThat(cli.execute(args.toArray(String[]::new))).isZero();
    return out.toString();
  }
}
