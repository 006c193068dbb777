package io.statejob.benchmarks.endtoend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.benchmarks.ChildJvm;
import io.statejob.benchmarks.Comparison;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End to end, source → keyBy → keyed count (two value states) → sink, for StateJob's job and the
 * same job on a Flink MiniCluster, with the same backend, parallelism and checkpoint interval, in
 * one run: from StateJob's datagen (output discarded) and from Kafka back to Kafka exactly once
 * (output checked). Each system runs in a JVM of its own; throughput is input records divided by
 * each system's own time for the job (StateJob's run summary, Flink's net runtime), so neither
 * JVM's start counts.
 */
@Command(
    name = "keyed-count",
    mixinStandardHelpOptions = true,
    description = "source -> keyBy -> keyed count -> sink: StateJob against a Flink MiniCluster")
public final class KeyedCountBenchmark implements Callable<Integer> {
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

  /** The sources a run can measure. */
  enum SourceKind {
    datagen,
    kafka
  }

  @Option(names = "--source", split = ",", defaultValue = "datagen,kafka")
  List<SourceKind> sources;

  @Option(
      names = "--datagen-events",
      split = ",",
      defaultValue = "heap=10000000,rocksdb=2000000",
      description = "Datagen events per backend (default: ${DEFAULT-VALUE})")
  Map<Backend, Long> datagenEvents;

  @Option(names = "--records", defaultValue = "2000000", description = "Kafka input records")
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

  private final PrintWriter out = new PrintWriter(System.out, true);

  public static void main(String[] args) {
    // run.sh sizes a run by mode; options given after it win
    System.exit(
        new CommandLine(new KeyedCountBenchmark())
            .setOverwrittenOptionsAllowed(true)
            .execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path work =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("keyed-count-");
    out.printf(
        Locale.ROOT,
        "%,d keys, checkpoints every %s, JVM options %s, %d cores%n",
        keys,
        checkpointInterval,
        String.join(" ", javaOptions),
        Runtime.getRuntime().availableProcessors());
    List<Comparison> comparisons = new ArrayList<>();
    for (SourceKind source : sources) {
      try (JobInput input = open(source, work.resolve(source.name()))) {
        for (Backend backend : backends) {
          for (int parallelism : parallelisms) {
            comparisons.add(compare(input, work, backend, parallelism));
          }
        }
      }
    }
    out.println();
    out.println(
        "| benchmark | backend | parallelism | StateJob records/s | Flink records/s | ratio |");
    out.println("|---|---|---|---|---|---|");
    for (Comparison c : comparisons) {
      int p = c.benchmark().lastIndexOf("-p");
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %,.0f | %,.0f | %.2f |%n",
          c.benchmark().substring(0, p),
          c.backend(),
          c.benchmark().substring(p + 2),
          c.statejob(),
          c.otherValue(),
          c.ratio());
    }
    return 0;
  }

  private JobInput open(SourceKind source, Path work) throws Exception {
    return switch (source) {
      case datagen -> new DatagenInput(new EnumMap<>(datagenEvents), keys);
      case kafka -> {
        Files.createDirectories(work);
        long producing = System.nanoTime();
        KafkaInput input = KafkaInput.start(work, records, keys, partitions);
        out.printf(
            Locale.ROOT,
            "kafka: %,d records in %d partitions written in %.1f s%n",
            records,
            partitions,
            (System.nanoTime() - producing) / 1e9);
        yield input;
      }
    };
  }

  /** Both systems on one case, alternating run by run; the medians compared. */
  private Comparison compare(JobInput input, Path work, Backend backend, int parallelism)
      throws Exception {
    double[] statejob = new double[runs];
    double[] flink = new double[runs];
    for (int run = 0; run < runs; run++) {
      statejob[run] = measure(input, work, "statejob", backend, parallelism, run);
      flink[run] = measure(input, work, "flink", backend, parallelism, run);
    }
    Comparison comparison =
        new Comparison(
            input.benchmark() + "-p" + parallelism,
            backend.name(),
            median(statejob),
            "flink",
            median(flink));
    out.println(comparison.resultLine());
    return comparison;
  }

  /** Runs one system once, checks what it did and returns its records per second. */
  private double measure(
      JobInput input, Path work, String system, Backend backend, int parallelism, int run)
      throws Exception {
    String name = system + "-" + backend + "-p" + parallelism + "-" + run;
    Path runDir = Files.createDirectories(work.resolve(input.benchmark()).resolve(name));
    input.prepare(name);
    long ms =
        system.equals("statejob")
            ? runStateJob(input, name, backend, parallelism, runDir)
            : runFlink(input, name, backend, parallelism, runDir);
    input.checkOutput(name);
    double perSecond = input.records(backend) * 1000.0 / ms;
    out.printf(
        Locale.ROOT,
        "  %-19s %-8s %-7s p=%d run %d: %,10.0f records/s (%.1f s)%n",
        input.benchmark(),
        system,
        backend,
        parallelism,
        run + 1,
        perSecond,
        ms / 1000.0);
    return perSecond;
  }

  private long runStateJob(
      JobInput input, String name, Backend backend, int parallelism, Path runDir) throws Exception {
    List<String> manifest =
        new ArrayList<>(
            List.of(
                "apiVersion: statejob.io/v1alpha1",
                "kind: StateJob",
                "metadata:",
                "  name: " + name,
                "spec:",
                "  job:",
                "    className: " + input.stateJobClass(),
                "  parallelism: " + parallelism,
                "  stateBackend:",
                "    type: " + backend.statejob,
                backend == Backend.rocksdb ? "    incremental: true" : "",
                "  checkpoints:",
                "    uri: " + runDir.resolve("checkpoints").toUri(),
                "    interval: " + checkpointInterval,
                "  config:",
                "    "
                    + RuntimeOptions.ROCKSDB_LOCAL_DIR.key()
                    + ": "
                    + runDir.resolve("rocksdb")));
    input.stateJobConfig().forEach((key, value) -> manifest.add("    " + key + ": " + value));
    Path manifestFile = Files.write(runDir.resolve("statejob.yaml"), manifest);
    Path summaryFile = runDir.resolve("summary.json");
    List<String> args =
        new ArrayList<>(
            List.of("run", manifestFile.toString(), "--summary", summaryFile.toString(), "--"));
    args.addAll(input.stateJobArguments(name, backend));
    ChildJvm.run(
        javaOptions,
        System.getProperty("java.class.path"),
        "io.statejob.runtime.cli.StateJobCli",
        args,
        runDir.resolve("statejob.log"));
    JsonNode summary = new ObjectMapper().readTree(summaryFile.toFile());
    long read = summary.path("records").path("read").asLong();
    if (read != input.records(backend)) {
      throw new IllegalStateException(
          name + " read " + read + " records, not " + input.records(backend));
    }
    return summary.get("durationMs").asLong();
  }

  private long runFlink(JobInput input, String name, Backend backend, int parallelism, Path runDir)
      throws Exception {
    List<String> options = new ArrayList<>(javaOptions);
    options.addAll(FLINK_JAVA_OPTIONS);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--parallelism",
                String.valueOf(parallelism),
                "--backend",
                backend.flink,
                "--checkpoint-interval",
                checkpointInterval,
                "--checkpoint-dir",
                runDir.resolve("checkpoints").toUri().toString(),
                "--local-dir",
                runDir.resolve("rocksdb").toString()));
    args.addAll(input.flinkArguments(name, backend));
    Path log = runDir.resolve("flink.log");
    ChildJvm.run(options, flinkClassPath, input.flinkClass(), args, log);
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
