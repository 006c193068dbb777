package io.statejob.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code statejob run} and {@code bench} in this JVM: arguments, configuration, summaries. */
class RunCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int EVENTS = 20_000;

  @TempDir Path temp;

  @Test
  void jobArgumentsAfterTheManifestOverrideThoseOfTheSpec() throws Exception {
    Path manifest = keyedCountManifest(1);
    Path summaryFile = temp.resolve("summary.json");

    int exit =
        StateJobCli.commandLine()
            .execute(
                "run",
                manifest.toString(),
                "--summary",
                summaryFile.toString(),
                "--",
                "--events",
                "700");

    assertThat(exit).isZero();
    assertThat(JSON.readTree(summaryFile.toFile()).get("records").get("read").asLong())
        .isEqualTo(700);
  }

  @ParameterizedTest(name = "parallelism {0}")
  @ValueSource(ints = {1, 2})
  void aRunWritesWhatItReadProcessedAndCheckpointed(int parallelism) throws Exception {
    Path manifest = keyedCountManifest(parallelism);
    Path summaryFile = temp.resolve("summary.json");

    int exit =
        StateJobCli.commandLine()
            .execute("run", manifest.toString(), "--summary", summaryFile.toString());

    assertThat(exit).isZero();
    JsonNode summary = JSON.readTree(summaryFile.toFile());
    assertThat(summary.get("job").asText()).isEqualTo("summary-job");
    assertThat(summary.get("parallelism").asInt()).isEqualTo(parallelism);
    assertThat(summary.get("backend").asText()).isEqualTo("filesystem");
    assertThat(summary.get("outcome").asText()).isEqualTo("finished");
    JsonNode records = summary.get("records");
    // each worker reads its share of the splits, and the records cross to their key's owner
    assertThat(records.get("read").asLong()).isEqualTo(EVENTS);
    assertThat(records.get("readPerWorker")).hasSize(parallelism);
    long perWorker = EVENTS / parallelism; // 4 splits of equal size, spread evenly
    records.get("readPerWorker").forEach(read -> assertThat(read.asLong()).isEqualTo(perWorker));
    if (parallelism == 1) {
      assertThat(records.get("exchanged").asLong()).isZero();
    } else {
      assertThat(records.get("exchanged").asLong()).isPositive().isLessThan(EVENTS);
    }
    JsonNode steps = records.get("processedPerStage");
    assertThat(steps.get("keyBy-1").asLong()).isEqualTo(EVENTS);
    assertThat(steps.get("count-and-sum").asLong()).isEqualTo(EVENTS);
    assertThat(steps.get("sink-3").asLong()).isEqualTo(EVENTS);
    // the checkpoint interval is an hour: the final checkpoint is the only one
    assertThat(summary.get("checkpoints").get("completed").asLong()).isEqualTo(1);
    assertThat(summary.get("checkpoints").get("failed").asLong()).isZero();
    assertThat(summary.get("checkpoints").get("restoredFrom").isNull()).isTrue();
  }

  @Test
  void flinksNewerSpellingsOnTheCommandLineChooseTheBackend() throws Exception {
    Path summaryFile = temp.resolve("summary.json");

    int exit =
        StateJobCli.commandLine()
            .execute(
                "run",
                keyedCountManifest(1).toString(),
                "-D",
                "state.backend.type=rocksdb",
                "-D",
                "execution.checkpointing.incremental=true",
                "-D",
                "state.backend.rocksdb.localdir=" + temp.resolve("rocksdb"),
                "--summary",
                summaryFile.toString());

    assertThat(exit).isZero();
    assertThat(JSON.readTree(summaryFile.toFile()).get("backend").asText()).isEqualTo("rocksdb");
  }

  @ParameterizedTest(name = "-D {0}")
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "state.backend.incremantal=true | state.backend.incremantal: unknown runtime configuration"
            + " key; did you mean state.backend.incremental?",
        "parallelism.default=-1 | parallelism.default: '-1' must be at least 1",
        "parallelism.default=200 | parallelism.default: 200 is greater than"
            + " pipeline.max-parallelism 128",
        "execution.checkpointing.interval=0s | execution.checkpointing.interval: '0s' must be"
            + " positive",
        "state.checkpoints.dir=s3://bucket/c | write s3a://",
      })
  void aBadFlagStopsTheRunBeforeItStarts(String flag, String message) throws Exception {
    assertThat(runWith(flag)).contains(message.trim());
    assertThat(temp.resolve("checkpoints")).as("nothing started").doesNotExist();
  }

  @Test
  void aRestorePathThatDoesNotExistStopsTheRunInsteadOfStartingEmpty() throws Exception {
    assertThat(runWith("execution.savepoint.path=file:///nowhere/chk-3"))
        .contains(
            "file:/nowhere/chk-3 does not exist; the job does not start from empty state instead");
    try (var written = java.nio.file.Files.walk(temp.resolve("checkpoints"))) {
      assertThat(written.map(p -> p.getFileName().toString()))
          .as("no checkpoint was taken")
          .noneMatch(name -> name.startsWith("chk-"));
    }
  }

  /** What {@code run} printed on stderr with {@code -D flag}; it must have exited 2. */
  private String runWith(String flag) throws Exception {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream originalErr = System.err;
    int exit;
    System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      exit = StateJobCli.commandLine().execute("run", keyedCountManifest(1).toString(), "-D", flag);
    } finally {
      System.setErr(originalErr);
    }

    assertThat(exit).isEqualTo(2);
    String printed = err.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(printed).contains("error: ").doesNotContain("\tat ");
    return printed;
  }

  @Test
  void benchPrintsTheThroughputAndSummaryOfEachRun() throws Exception {
    StringWriter out = new StringWriter();

    int exit =
        StateJobCli.commandLine()
            .setOut(new PrintWriter(out))
            .execute(
                "bench",
                "--events=5000",
                "--keys=20",
                "--warmup-events=0",
                "--parallelism=1,2",
                "--backend=memory",
                "--dir=" + temp);

    assertThat(exit).isZero();
    assertThat(out.toString())
        .containsPattern("memory +p=1 +[0-9,]+ events/s")
        .containsPattern("memory +p=2 +[0-9,]+ events/s");
    long summaries =
        out.toString()
            .lines()
            .filter(line -> line.startsWith("{"))
            .map(this::parse)
            .filter(
                s ->
                    s.get("records").get("processedPerStage").get("count-and-sum").asLong() == 5000)
            .count();
    assertThat(summaries).isEqualTo(2);
  }

  private JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** KeyedCountJob over {@link #EVENTS} events on the filesystem backend, checkpoints hourly. */
  private Path keyedCountManifest(int parallelism) throws java.io.IOException {
    return Files.writeString(
        temp.resolve("job.yaml"),
        """
        apiVersion: statejob.io/v1alpha1
        kind: StateJob
        metadata:
          name: summary-job
        spec:
          job:
            className: io.statejob.examples.KeyedCountJob
            args: ["--events", "%d", "--keys", "50"]
          parallelism: %d
          stateBackend:
            type: filesystem
          checkpoints:
            uri: %s
            interval: 1h
        """
            .formatted(EVENTS, parallelism, temp.resolve("checkpoints").toUri()));
  }
}
