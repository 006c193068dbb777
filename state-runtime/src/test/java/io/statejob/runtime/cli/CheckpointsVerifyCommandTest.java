package io.statejob.runtime.cli;

import static io.statejob.runtime.execution.JobRuns.datagen;
import static org.assertj.core.api.Assertions.assertThat;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.examples.KeyedCountJob;
import io.statejob.runtime.execution.JobRuns;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code statejob checkpoints verify}, and the tools refusing what it finds damaged. */
class CheckpointsVerifyCommandTest {
  @TempDir Path temp;
  private Path jobDir;
  private List<CompletedCheckpoint> retained;

  private record Result(int exit, String out, String err) {}

  @BeforeEach
  void runAJobWithIncrementalCheckpoints() throws Exception {
    RuntimeConfig config =
        JobRuns.configIn(
            temp,
            "rocksdb-incremental",
            2,
            Map.of(
                "state.storage.fs.memory-threshold", "0", "state.checkpoints.num-retained", "3"));
    JobRuns.run(KeyedCountJob.class, datagen(10_000, 20_000), config);
    jobDir = temp.resolve("checkpoints").resolve("test-job");
    retained = JobRuns.retained(temp.resolve("checkpoints"), config, 3);
    assertThat(retained).hasSizeGreaterThan(1);
  }

  private static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        StateJobCli.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err))
            .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  private CompletedCheckpoint newest() {
    return retained.get(retained.size() - 1);
  }

  /** A subtask stream file of the newest checkpoint, which no other checkpoint has. */
  private Path newestOwnFile() {
    return Path.of(URI.create(newest().metadata().subtasks().get(0).stream().path()));
  }

  @Test
  void intactCheckpointsAreEachReportedOk() {
    Result result = cli("checkpoints", "verify", jobDir.toString());

    assertThat(result.exit()).isZero();
    assertThat(result.out().lines()).hasSize(retained.size()).allMatch(l -> l.startsWith("OK "));
  }

  @Test
  void aFlippedBitIsNamedByVerifyAndRefusedByDumpAndInspect() throws Exception {
    Path damaged = newestOwnFile();
    JobRuns.flipABit(damaged);
    String newestDir = jobDir.resolve("chk-" + newest().id()).toString();

    Result verify = cli("checkpoints", "verify", jobDir.toString());
    assertThat(verify.exit()).isEqualTo(1);
    assertThat(verify.out().lines().filter(l -> l.startsWith("OK "))).hasSize(retained.size() - 1);
    String line =
        verify.out().lines().filter(l -> l.startsWith("DAMAGED ")).findFirst().orElseThrow();
    assertThat(line)
        .contains("chk-" + newest().id() + " is damaged: ")
        .contains(damaged.getFileName().toString())
        .contains("fails its checksum");

    for (String tool : List.of("dump", "inspect")) {
      Result refused = cli("checkpoints", tool, newestDir);
      assertThat(refused.exit()).as(tool).isEqualTo(2);
      assertThat(refused.out()).as(tool).isEmpty();
      assertThat(refused.err().lines())
          .as(tool)
          .singleElement()
          .asString()
          .contains("is damaged: ")
          .contains(damaged.getFileName().toString())
          .contains("fails its checksum");
    }

    // under the job's directory, the newest intact one is shown with a warning
    Result dump = cli("checkpoints", "dump", jobDir.toString());
    assertThat(dump.exit()).isZero();
    assertThat(dump.err()).startsWith("warning: ").contains("an older one is used");
    assertThat(dump.out()).isNotEmpty();
  }

  @Test
  void aMissingSharedFileIsNamedForEveryCheckpointThatReferencesIt() throws Exception {
    String shared =
        newest().metadata().files().stream()
            .filter(f -> f.contains("/shared/"))
            .findFirst()
            .orElseThrow();
    Files.delete(Path.of(URI.create(shared)));
    Set<Long> referencing = new TreeSet<>();
    retained.stream()
        .filter(c -> c.metadata().files().contains(shared))
        .forEach(c -> referencing.add(c.id()));

    Result verify = cli("checkpoints", "verify", jobDir.toString());

    assertThat(verify.exit()).isEqualTo(1);
    assertThat(verify.out().lines().filter(l -> l.startsWith("DAMAGED ")))
        .hasSize(referencing.size())
        .allSatisfy(l -> assertThat(l).contains(shared + ": the file is missing"));
  }
}
