package io.statejob.runtime.execution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.checkpoint.CompletedCheckpointStore;
import io.statejob.runtime.cli.StateDump;
import io.statejob.runtime.connector.DatagenEvent;
import io.statejob.runtime.connector.DatagenSource;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.state.StateBackends;
import io.statejob.runtime.storage.FileSystemCheckpointStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs jobs in-process for tests and reads their final state. */
public final class JobRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JobRuns() {}

  /** Arguments of a datagen job: {@code events} events (-1: unbounded) over 300 keys. */
  public static List<String> datagen(long events, long rate) {
    return List.of(
        "--events", String.valueOf(events), "--keys", "300", "--rate", String.valueOf(rate));
  }

  public static RuntimeConfig config(
      Path checkpoints, String backend, int parallelism, Map<String, String> extra) {
    return config(checkpoints.toUri().toString(), backend, parallelism, extra);
  }

  public static RuntimeConfig config(
      String checkpoints, String backend, int parallelism, Map<String, String> extra) {
    Map<String, String> values = new HashMap<>();
    values.put("job.id", "test-job");
    values.put("state.backend", backend);
    values.put("state.checkpoints.dir", checkpoints);
    values.put("parallelism.default", String.valueOf(parallelism));
    values.put("execution.checkpointing.interval", "100ms");
    values.put("restart-strategy.fixed-delay.delay", "50ms");
    values.putAll(extra);
    return RuntimeConfig.of(values);
  }

  /**
   * The config of a job under {@code temp} on {@code backend}: {@code memory}, {@code filesystem},
   * {@code rocksdb} (full checkpoints) or {@code rocksdb-incremental}.
   */
  public static RuntimeConfig configIn(
      Path temp, String backend, int parallelism, Map<String, String> extra) {
    boolean incremental = backend.endsWith("-incremental");
    Map<String, String> values = new HashMap<>(extra);
    values.put("state.backend.rocksdb.localdir", temp.resolve("rocksdb").toString());
    values.put("state.backend.incremental", String.valueOf(incremental));
    return config(
        temp.resolve("checkpoints").toUri().toString(),
        incremental ? "rocksdb" : backend,
        parallelism,
        values);
  }

  public static JobRunner runner(
      Class<?> program, List<String> args, RuntimeConfig config, JobListener listener)
      throws Exception {
    JobProgram loaded = JobProgram.load(program.getName(), Optional.empty(), args);
    return JobRunner.local(
        loaded, config, StateBackends.load(config, loaded.classLoader()), listener);
  }

  public static CompletedCheckpoint run(Class<?> program, List<String> args, RuntimeConfig config)
      throws Exception {
    return runner(program, args, config, new JobListener() {}).run();
  }

  /** Runs the job on another thread; failures complete the future exceptionally. */
  public static java.util.concurrent.CompletableFuture<CompletedCheckpoint> runAsync(
      JobRunner runner) {
    return java.util.concurrent.CompletableFuture.supplyAsync(
        () -> {
          try {
            return runner.run();
          } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
          }
        });
  }

  /** The completed checkpoints of job {@code test-job} under {@code checkpoints}, oldest first. */
  public static List<CompletedCheckpoint> retained(
      Path checkpoints, RuntimeConfig config, int retained) throws Exception {
    try (FileSystemCheckpointStorage storage =
        new FileSystemCheckpointStorage(checkpoints.toUri(), "test-job", config, 0)) {
      return CompletedCheckpointStore.recover(storage, retained).all();
    }
  }

  /** Damages {@code file} as a bad disk or a stray write would: one bit in its middle. */
  public static void flipABit(Path file) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(file, bytes);
  }

  public static List<JsonNode> dump(CompletedCheckpoint checkpoint, RuntimeConfig config)
      throws Exception {
    return StateDump.lines(checkpoint, config, JobRuns.class.getClassLoader()).stream()
        .map(
            line -> {
              try {
                return JSON.readTree(line);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })
        .toList();
  }

  /** state name → key → value, from a dump. */
  public static Map<String, Long> keyedLongs(List<JsonNode> dump, String state) {
    Map<String, Long> result = new HashMap<>();
    for (JsonNode line : dump) {
      if ("keyed".equals(line.get("type").asText()) && state.equals(line.get("state").asText())) {
        result.put(line.get("key").asText(), line.get("value").asLong());
      }
    }
    return result;
  }

  /** Count and sum per key of the first {@code events} datagen events, computed directly. */
  public static Map<String, long[]> expectedCountAndSum(long events, int keys) {
    DatagenSource source = new DatagenSource(events, keys, 42, 0);
    Map<String, long[]> result = new HashMap<>();
    for (long n = 0; n < events; n++) {
      DatagenEvent e = source.eventAt(n);
      long[] countAndSum = result.computeIfAbsent(e.key(), k -> new long[2]);
      countAndSum[0]++;
      countAndSum[1] += e.value();
    }
    return result;
  }

  /** The dump holds exactly the count and sum per key of the first {@code events} events. */
  public static void assertExactCounts(List<JsonNode> dump, String uid, long events) {
    Map<String, long[]> expected = expectedCountAndSum(events, 300);
    Map<String, Long> counts = keyedLongs(dump, uid + ".count");
    Map<String, Long> sums = keyedLongs(dump, uid + ".sum");
    assertThat(counts).hasSameSizeAs(expected);
    expected.forEach(
        (key, countAndSum) -> {
          assertThat(counts.get(key)).as("count of %s", key).isEqualTo(countAndSum[0]);
          assertThat(sums.get(key)).as("sum of %s", key).isEqualTo(countAndSum[1]);
        });
    // split s of N holds events s, s+N, ...: all of them were read
    List<JsonNode> splits =
        dump.stream().filter(line -> line.get("type").asText().equals("split")).toList();
    assertThat(splits).isNotEmpty();
    int n = splits.size();
    assertThat(splits)
        .allSatisfy(
            line -> {
              int s = Integer.parseInt(line.get("split").asText().substring("datagen-".length()));
              assertThat(line.get("offset").asLong()).isEqualTo((events - s + n - 1) / n);
            });
  }
}
