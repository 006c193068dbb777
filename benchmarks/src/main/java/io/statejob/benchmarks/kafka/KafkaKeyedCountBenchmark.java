package io.statejob.benchmarks.kafka;

import io.statejob.api.config.RuntimeOptions;
import io.statejob.benchmarks.ChildJvm;
import io.statejob.benchmarks.Comparison;
import io.statejob.runtime.testing.KafkaTestData;
import io.statejob.runtime.testing.LocalKafkaBroker;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Kafka → keyBy → keyed count (two value states) → Kafka, exactly once, for StateJob's {@code
 * KafkaKeyedCountJob} and the same job on a Flink MiniCluster, on one local broker, in one run.
 *
 * <p>The input topic is written once; each run reads all of it ({@code --start earliest --bounded
 * latest}) into a fresh output topic, which is then checked against the expected {@code
 * key,count,sum} lines, so both systems are seen doing the same work exactly once. Throughput is
 * input records divided by each system's own time for the job (StateJob's run summary, Flink's net
 * runtime), so neither JVM's start counts.
 */
@Command(
    name = "kafka-keyed-count",
    mixinStandardHelpOptions = true,
    description = "Kafka -> keyBy -> keyed count -> Kafka: StateJob against a Flink MiniCluster")
public final class KafkaKeyedCountBenchmark implements Callable<Integer> {
  private static final List<String> FLINK_JAVA_OPTIONS =
      List.of(
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

  @Option(names = "--records", defaultValue = "2000000", description = "Input records")
  long records;

  @Option(names = "--keys", defaultValue = "100000", description = "Distinct keys")
  int keys;

  @Option(names = "--partitions", defaultValue = "4", description = "Partitions of each topic")
  int partitions;

  @Option(names = "--parallelism", split = ",", defaultValue = "1,2")
  List<Integer> parallelisms;

  @Option(
      names = "--backend",
      split = ",",
      defaultValue = "heap,rocksdb",
      description = "heap (StateJob filesystem, Flink hashmap) and/or rocksdb (incremental, both)")
  List<Backend> backends;

  @Option(names = "--checkpoint-interval", defaultValue = "1s")
  String checkpointInterval;

  @Option(
      names = "--runs",
      defaultValue = "1",
      description = "Runs of each system per case; the median is reported")
  int runs;

  @Option(
      names = "--java-options",
      defaultValue = "-Xmx2g",
      split = " ",
      description = "Options of both systems' JVMs (default: ${DEFAULT-VALUE})")
  List<String> javaOptions;

  @Option(
      names = "--flink-classpath",
      required = true,
      description = "Class path of benchmarks/flink (see benchmarks/run.sh)")
  String flinkClassPath;

  @Option(names = "--dir", description = "Work directory (default: a temporary one)")
  Path dir;

  /** The backend of a case, as each system names it. */
  enum Backend {
    heap("filesystem", "hashmap"),
    rocksdb("rocksdb", "rocksdb");

    final String statejob;
    final String flink;

    Backend(String statejob, String flink) {
      this.statejob = statejob;
      this.flink = flink;
    }
  }

  private final PrintWriter out = new PrintWriter(System.out, true);

  public static void main(String[] args) {
    // run.sh sizes a run by mode; options given after it win
    System.exit(
        new CommandLine(new KafkaKeyedCountBenchmark())
            .setOverwrittenOptionsAllowed(true)
            .execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path work =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("kafka-bench");
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(work)) {
      broker.createTopic("input", partitions);
      long producing = System.nanoTime();
      KafkaTestData.produce(broker, "input", 0, records, keys);
      out.printf(
          Locale.ROOT,
          "%,d records over %,d keys in %d partitions written in %.1f s; checkpoints every %s,"
              + " JVM options %s, %d cores%n",
          records,
          keys,
          partitions,
          (System.nanoTime() - producing) / 1e9,
          checkpointInterval,
          String.join(" ", javaOptions),
          Runtime.getRuntime().availableProcessors());
      List<String> expected = KafkaTestData.expectedOutput(records, keys);
      List<Comparison> comparisons = new ArrayList<>();
      for (Backend backend : backends) {
        for (int parallelism : parallelisms) {
          Case benchmarkCase = new Case(broker, work, backend, parallelism, expected);
          double[] statejob = new double[runs];
          double[] flink = new double[runs];
          for (int run = 0; run < runs; run++) {
            statejob[run] = benchmarkCase.measure("statejob", run, this::runStateJob);
            flink[run] = benchmarkCase.measure("flink", run, this::runFlink);
          }
          Comparison comparison =
              new Comparison(
                  "kafka-keyed-count-p" + parallelism,
                  backend.name(),
                  median(statejob),
                  "flink",
                  median(flink));
          comparisons.add(comparison);
          out.println(comparison.resultLine());
        }
      }
      out.println();
      out.println("| backend | parallelism | StateJob records/s | Flink records/s | ratio |");
      out.println("|---|---|---|---|---|");
      for (Comparison c : comparisons) {
        out.printf(
            Locale.ROOT,
            "| %s | %s | %,.0f | %,.0f | %.2f |%n",
            c.backend(),
            c.benchmark().substring(c.benchmark().lastIndexOf('p') + 1),
            c.statejob(),
            c.otherValue(),
            c.ratio());
      }
      return 0;
    }
  }

  /** One system's run of a case: its own time for the job, in milliseconds. */
  private interface SystemRun {
    long runMs(Case benchmarkCase, String outputTopic, Path runDir) throws Exception;
  }

  /** A backend and a parallelism, measured for each system on fresh output topics. */
  private final class Case {
    final LocalKafkaBroker broker;
    final Path work;
    final Backend backend;
    final int parallelism;
    final List<String> expected;

    Case(
        LocalKafkaBroker broker,
        Path work,
        Backend backend,
        int parallelism,
        List<String> expected) {
      this.broker = broker;
      this.work = work;
      this.backend = backend;
      this.parallelism = parallelism;
      this.expected = expected;
    }

    /** Runs one system, checks its output and returns its records per second. */
    double measure(String system, int run, SystemRun systemRun) throws Exception {
      String name = system + "-" + backend + "-p" + parallelism + "-" + run;
      broker.createTopic(name, partitions);
      Path runDir = Files.createDirectories(work.resolve(name));
      long ms = systemRun.runMs(this, name, runDir);
      List<String> output = KafkaTestData.readCommitted(broker, name).stream().sorted().toList();
      if (!output.equals(expected)) {
        throw new IllegalStateException(
            name
                + " wrote "
                + output.size()
                + " records, not the "
                + expected.size()
                + " expected");
      }
      double perSecond = records * 1000.0 / ms;
      out.printf(
          Locale.ROOT,
          "  %-8s %-7s p=%d run %d: %,10.0f records/s (%.1f s), output checked%n",
          system,
          backend,
          parallelism,
          run + 1,
          perSecond,
          ms / 1000.0);
      return perSecond;
    }
  }

  private long runStateJob(Case c, String outputTopic, Path runDir) throws Exception {
    Path manifest = runDir.resolve("statejob.yaml");
    Files.writeString(
        manifest,
        String.join(
            "\n",
            "apiVersion: statejob.io/v1alpha1",
            "kind: StateJob",
            "metadata:",
            "  name: " + outputTopic,
            "spec:",
            "  job:",
            "    className: io.statejob.examples.KafkaKeyedCountJob",
            "  parallelism: " + c.parallelism,
            "  stateBackend:",
            "    type: " + c.backend.statejob,
            c.backend == Backend.rocksdb ? "    incremental: true" : "",
            "  checkpoints:",
            "    uri: " + runDir.resolve("checkpoints").toUri(),
            "    interval: " + checkpointInterval,
            "  config:",
            "    kafka.bootstrap.servers: " + c.broker.bootstrapServers(),
            "    " + RuntimeOptions.ROCKSDB_LOCAL_DIR.key() + ": " + runDir.resolve("rocksdb"),
            ""));
    Path summary = runDir.resolve("summary.json");
    ChildJvm.run(
        javaOptions,
        System.getProperty("java.class.path"),
        "io.statejob.runtime.cli.StateJobCli",
        List.of(
            "run",
            manifest.toString(),
            "--summary",
            summary.toString(),
            "--",
            "--input-topic",
            "input",
            "--output-topic",
            outputTopic,
            "--group-id",
            outputTopic,
            "--start",
            "earliest",
            "--bounded",
            "latest"),
        runDir.resolve("statejob.log"));
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(summary.toFile())
        .get("durationMs")
        .asLong();
  }

  private long runFlink(Case c, String outputTopic, Path runDir) throws Exception {
    List<String> options = new ArrayList<>(javaOptions);
    options.addAll(FLINK_JAVA_OPTIONS);
    Path log = runDir.resolve("flink.log");
    ChildJvm.run(
        options,
        flinkClassPath,
        "io.statejob.benchmarks.flink.FlinkKafkaKeyedCount",
        List.of(
            "--bootstrap-servers",
            c.broker.bootstrapServers(),
            "--input-topic",
            "input",
            "--output-topic",
            outputTopic,
            "--parallelism",
            String.valueOf(c.parallelism),
            "--backend",
            c.backend.flink,
            "--checkpoint-interval",
            checkpointInterval,
            "--checkpoint-dir",
            runDir.resolve("checkpoints").toUri().toString(),
            "--local-dir",
            runDir.resolve("rocksdb").toString()),
        log);
    return Files.readAllLines(log).stream()
        .filter(line -> line.startsWith("netRuntimeMs="))
        .mapToLong(line -> Long.parseLong(line.substring("netRuntimeMs=".length())))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException(log + " reports no net runtime"));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}
