package io.statejob.api.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every runtime configuration key, with Flink's name where Flink has one. */
public final class RuntimeOptions {
  private RuntimeOptions() {}

  /** Flink's names of the restart strategies StateJob has, with their aliases. */
  private static final java.util.Set<String> RESTART_STRATEGY_NAMES =
      java.util.Set.of(
          "exponential-delay",
          "exponentialdelay",
          "fixed-delay",
          "fixeddelay",
          "none",
          "off",
          "disable");

  public static final ConfigOption<String> STATE_BACKEND =
      ConfigOption.string(
          "state.backend",
          "memory",
          "memory (alias jobmanager), filesystem, rocksdb, or a StateBackendFactory class name");

  public static final ConfigOption<String> CHECKPOINTS_DIR =
      ConfigOption.string(
          "state.checkpoints.dir", null, "Base URI of checkpoints (file://, s3a://)");

  public static final ConfigOption<String> CHECKPOINT_STORAGE =
      ConfigOption.string(
          "state.checkpoint-storage",
          null,
          "with state.backend hashmap: jobmanager (memory backend) or filesystem (checkpoint dir)");

  public static final ConfigOption<Boolean> INCREMENTAL_CHECKPOINTS =
      ConfigOption.bool("state.backend.incremental", false, "rocksdb: upload only new SST files");

  public static final ConfigOption<Boolean> ASYNC_SNAPSHOTS =
      ConfigOption.bool(
          "state.backend.async",
          true,
          "heap backends: write snapshots on a background thread while processing goes on");

  public static final ConfigOption<Long> MEMORY_MAX_STATE_SIZE =
      ConfigOption.bytes(
          "state.backend.memory.max-state-size",
          5L * 1024 * 1024,
          "memory backend: the largest snapshot of one state");

  public static final ConfigOption<Long> MAX_MESSAGE_SIZE =
      ConfigOption.bytes(
          "coordinator.max-message-size",
          10L * 1024 * 1024,
          "the largest checkpoint acknowledgement a worker may send");

  public static final ConfigOption<Long> FS_MEMORY_THRESHOLD =
      ConfigOption.bytes(
          "state.storage.fs.memory-threshold",
          20L * 1024,
          "filesystem storage: state smaller than this is inlined in _metadata");

  public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
      ConfigOption.duration(
              "execution.checkpointing.interval",
              Duration.ofSeconds(10),
              "time between checkpoints")
          .requiring(d -> d.toMillis() > 0, "must be positive");

  public static final ConfigOption<Duration> CHECKPOINT_TIMEOUT =
      ConfigOption.duration(
              "execution.checkpointing.timeout",
              Duration.ofMinutes(10),
              "a checkpoint not completed within this time is aborted")
          .requiring(d -> d.toMillis() > 0, "must be positive");

  public static final ConfigOption<Integer> TOLERABLE_FAILED_CHECKPOINTS =
      ConfigOption.integer(
              "execution.checkpointing.tolerable-failed-checkpoints",
              3,
              "consecutive failed checkpoints tolerated before the job restarts")
          .requiring(n -> n >= 0, "must not be negative");

  public static final ConfigOption<Integer> RETAINED_CHECKPOINTS =
      ConfigOption.integer("state.checkpoints.num-retained", 3, "completed checkpoints to keep")
          .requiring(n -> n >= 1, "must be at least 1");

  public static final ConfigOption<String> ROCKSDB_LOCAL_DIR =
      ConfigOption.string(
          "state.backend.rocksdb.localdir", null, "rocksdb: the directory of working files");

  public static final ConfigOption<Long> ROCKSDB_BLOCK_CACHE_SIZE =
      ConfigOption.bytes(
          "state.backend.rocksdb.block.cache-size",
          64L * 1024 * 1024,
          "rocksdb: block cache per worker; it also bounds the write buffers' memory");

  public static final ConfigOption<Long> ROCKSDB_WRITE_BUFFER_SIZE =
      ConfigOption.bytes(
          "state.backend.rocksdb.writebuffer.size",
          32L * 1024 * 1024,
          "rocksdb: size of one memtable of a state");

  public static final ConfigOption<Integer> ROCKSDB_WRITE_BUFFER_COUNT =
      ConfigOption.integer(
          "state.backend.rocksdb.writebuffer.count", 2, "rocksdb: memtables per state");

  public static final ConfigOption<Long> ROCKSDB_WRITE_BUFFER_LIMIT =
      ConfigOption.bytes(
          "state.backend.rocksdb.writebuffer.limit",
          64L * 1024 * 1024,
          "rocksdb: memtable memory of all states of a worker together");

  public static final ConfigOption<Long> ROCKSDB_BLOCK_SIZE =
      ConfigOption.bytes(
          "state.backend.rocksdb.block.blocksize", 4L * 1024, "rocksdb: data block size");

  public static final ConfigOption<Integer> ROCKSDB_THREADS =
      ConfigOption.integer(
          "state.backend.rocksdb.thread.num", 2, "rocksdb: background flush and compaction jobs");

  public static final ConfigOption<Integer> PARALLELISM =
      ConfigOption.integer("parallelism.default", 1, "number of workers")
          .requiring(p -> p >= 1, "must be at least 1");

  public static final ConfigOption<Integer> MAX_PARALLELISM =
      ConfigOption.integer(
              "pipeline.max-parallelism", 128, "number of key groups, the bound for parallelism")
          .requiring(p -> p >= 1 && p <= 32768, "must be between 1 and 32768");

  public static final ConfigOption<String> RESTART_STRATEGY =
      ConfigOption.string(
              "restart-strategy.type",
              null,
              "exponential-delay (the default), fixed-delay (the default when a fixed-delay key is"
                  + " set), or none")
          .requiring(
              type -> RESTART_STRATEGY_NAMES.contains(type.toLowerCase(java.util.Locale.ROOT)),
              "is not one of exponential-delay, fixed-delay, none");

  public static final ConfigOption<Duration> RESTART_INITIAL_BACKOFF =
      ConfigOption.duration(
              "restart-strategy.exponential-delay.initial-backoff",
              Duration.ofSeconds(1),
              "exponential-delay: pause before the first restart")
          .requiring(d -> !d.isNegative(), "must not be negative");

  public static final ConfigOption<Duration> RESTART_MAX_BACKOFF =
      ConfigOption.duration(
              "restart-strategy.exponential-delay.max-backoff",
              Duration.ofMinutes(1),
              "exponential-delay: the longest pause between restarts")
          .requiring(d -> !d.isNegative(), "must not be negative");

  public static final ConfigOption<Double> RESTART_BACKOFF_MULTIPLIER =
      ConfigOption.number(
              "restart-strategy.exponential-delay.backoff-multiplier",
              1.5,
              "exponential-delay: the pause grows by this factor after each failure")
          .requiring(m -> m >= 1.0, "must be at least 1");

  public static final ConfigOption<Duration> RESTART_RESET_BACKOFF_THRESHOLD =
      ConfigOption.duration(
              "restart-strategy.exponential-delay.reset-backoff-threshold",
              Duration.ofHours(1),
              "exponential-delay: an attempt that ran this long starts the pauses over")
          .requiring(d -> !d.isNegative(), "must not be negative");

  public static final ConfigOption<Double> RESTART_JITTER =
      ConfigOption.number(
              "restart-strategy.exponential-delay.jitter-factor",
              0.1,
              "exponential-delay: each pause varies at random by up to this fraction")
          .requiring(j -> j >= 0.0 && j <= 1.0, "must be between 0 and 1");

  public static final ConfigOption<Integer> RESTART_ATTEMPTS_BEFORE_RESET =
      ConfigOption.integer(
              "restart-strategy.exponential-delay.attempts-before-reset-backoff",
              Integer.MAX_VALUE,
              "exponential-delay: restarts without an attempt that ran long enough before the job"
                  + " fails")
          .requiring(n -> n >= 0, "must not be negative");

  public static final ConfigOption<Integer> RESTART_ATTEMPTS =
      ConfigOption.integer(
              "restart-strategy.fixed-delay.attempts",
              10,
              "restarts from the latest checkpoint before the job fails")
          .requiring(n -> n >= 0, "must not be negative");

  public static final ConfigOption<Duration> RESTART_DELAY =
      ConfigOption.duration(
          "restart-strategy.fixed-delay.delay", Duration.ofSeconds(1), "pause before a restart");

  public static final ConfigOption<String> JOB_ID =
      ConfigOption.string(
          "job.id", null, "id under which checkpoints are stored (default: the job's name)");

  public static final ConfigOption<String> RESTORE_PATH =
      ConfigOption.string(
          "execution.savepoint.path",
          null,
          "a checkpoint or savepoint to start from when the job has none of its own");

  public static final ConfigOption<String> RESTORE_MODE =
      ConfigOption.string(
              "execution.savepoint-restore-mode",
              "no-claim",
              "no-claim: a job restoring another job's snapshot never references its files;"
                  + " claim: it takes them over")
          .requiring(
              mode ->
                  List.of("claim", "no-claim")
                      .contains(mode.toLowerCase(Locale.ROOT).replace('_', '-')),
              "is neither claim nor no-claim");

  public static final ConfigOption<String> LOGGING_FORMAT =
      ConfigOption.string(
              "logging.format",
              "text",
              "text: key=value lines; json: one JSON object per line (also STATEJOB_LOG_FORMAT)")
          .requiring(
              format -> List.of("text", "json").contains(format), "is neither text nor json");

  public static final ConfigOption<Boolean> ALLOW_EMPTY_STATE =
      ConfigOption.bool(
          "execution.restore.allow-empty-state",
          false,
          "start even when the checkpoint storage lacks the expected latest checkpoint");

  public static final ConfigOption<Long> EXPECTED_CHECKPOINT_ID =
      ConfigOption.longValue(
              "execution.restore.expected-checkpoint-id",
              0L,
              "the job's latest checkpoint as the operator knows it: a coordinator that finds"
                  + " nothing that new in storage refuses to start (0: no expectation)")
          .requiring(id -> id >= 0, "must not be negative");

  public static final ConfigOption<String> EXPECTED_CHECKPOINT_PATH =
      ConfigOption.string(
          "execution.restore.expected-checkpoint-path",
          null,
          "where the expected latest checkpoint was, for the message when it is missing");

  public static final ConfigOption<Boolean> ALLOW_NON_RESTORED_STATE =
      ConfigOption.bool(
          "execution.savepoint.ignore-unclaimed-state",
          false,
          "start even when restored operator state has no operator in the job");

  public static final ConfigOption<Integer> REST_PORT =
      ConfigOption.integer(
          "rest.port", 8081, "pod mode: HTTP port of coordinator and workers (probes, metrics)");

  public static final ConfigOption<String> REST_TOKEN_FILE =
      ConfigOption.string(
          "rest.auth.token-file",
          null,
          "pod mode: a file holding the bearer token that the coordinator's savepoint, checkpoint"
              + " and resume requests must carry; read at each request, so a rotated token applies"
              + " at once (unset: no token asked for)");

  public static final ConfigOption<Duration> HEARTBEAT_INTERVAL =
      ConfigOption.duration(
          "heartbeat.interval",
          Duration.ofSeconds(2),
          "pod mode: how often a worker tells the coordinator it is alive");

  public static final ConfigOption<Duration> HEARTBEAT_TIMEOUT =
      ConfigOption.duration(
          "heartbeat.timeout",
          Duration.ofSeconds(20),
          "pod mode: a worker silent this long is lost and the job restarts");

  public static final ConfigOption<Duration> BUFFER_TIMEOUT =
      ConfigOption.duration(
          "execution.buffer-timeout",
          Duration.ofMillis(100),
          "longest a record waits in a batch that is not full before it is sent to another stage");

  public static final ConfigOption<Duration> AUTO_WATERMARK_INTERVAL =
      ConfigOption.duration(
          "pipeline.auto-watermark-interval",
          Duration.ofMillis(200),
          "how often a source sends its watermark on when it moved (0: at every change)");

  public static final ConfigOption<Integer> EXCHANGE_BATCH_SIZE =
      ConfigOption.integer(
              "exchange.batch-size", 512, "records per batch sent from one stage to the next")
          .requiring(n -> n >= 1, "must be at least 1");

  public static final ConfigOption<Integer> EXCHANGE_CREDITS =
      ConfigOption.integer(
              "exchange.credits",
              4,
              "batches a channel between two stages holds: what bounds an exchange's memory")
          .requiring(n -> n >= 1, "must be at least 1");

  public static final ConfigOption<Integer> EXCHANGE_PORT =
      ConfigOption.integer(
          "exchange.port", 6124, "pod mode: TCP port on which a worker receives records");

  public static final ConfigOption<Duration> EXCHANGE_CONNECT_TIMEOUT =
      ConfigOption.duration(
          "exchange.connect-timeout",
          Duration.ofMinutes(2),
          "pod mode: how long a worker retries connecting to a peer that is starting");

  public static final List<ConfigOption<?>> ALL =
      List.of(
          STATE_BACKEND,
          CHECKPOINTS_DIR,
          CHECKPOINT_STORAGE,
          INCREMENTAL_CHECKPOINTS,
          ASYNC_SNAPSHOTS,
          MEMORY_MAX_STATE_SIZE,
          MAX_MESSAGE_SIZE,
          FS_MEMORY_THRESHOLD,
          CHECKPOINT_INTERVAL,
          CHECKPOINT_TIMEOUT,
          TOLERABLE_FAILED_CHECKPOINTS,
          RETAINED_CHECKPOINTS,
          ROCKSDB_LOCAL_DIR,
          ROCKSDB_BLOCK_CACHE_SIZE,
          ROCKSDB_WRITE_BUFFER_SIZE,
          ROCKSDB_WRITE_BUFFER_COUNT,
          ROCKSDB_WRITE_BUFFER_LIMIT,
          ROCKSDB_BLOCK_SIZE,
          ROCKSDB_THREADS,
          PARALLELISM,
          MAX_PARALLELISM,
          RESTART_STRATEGY,
          RESTART_INITIAL_BACKOFF,
          RESTART_MAX_BACKOFF,
          RESTART_BACKOFF_MULTIPLIER,
          RESTART_RESET_BACKOFF_THRESHOLD,
          RESTART_JITTER,
          RESTART_ATTEMPTS_BEFORE_RESET,
          RESTART_ATTEMPTS,
          RESTART_DELAY,
          JOB_ID,
          RESTORE_PATH,
          RESTORE_MODE,
          ALLOW_NON_RESTORED_STATE,
          ALLOW_EMPTY_STATE,
          EXPECTED_CHECKPOINT_ID,
          EXPECTED_CHECKPOINT_PATH,
          REST_PORT,
          REST_TOKEN_FILE,
          HEARTBEAT_INTERVAL,
          HEARTBEAT_TIMEOUT,
          BUFFER_TIMEOUT,
          AUTO_WATERMARK_INTERVAL,
          EXCHANGE_BATCH_SIZE,
          EXCHANGE_CREDITS,
          EXCHANGE_PORT,
          EXCHANGE_CONNECT_TIMEOUT,
          LOGGING_FORMAT);

  private static final Map<String, ConfigOption<?>> BY_KEY =
      ALL.stream().collect(Collectors.toMap(ConfigOption::key, Function.identity()));

  /**
   * Flink 1.17+ and 2.x names of keys the runtime knows by their older Flink names: a layer of
   * configuration that uses them means the same setting.
   */
  private static final Map<String, String> FLINK_SPELLINGS =
      Map.of(
          "state.backend.type", STATE_BACKEND.key(),
          "execution.checkpointing.dir", CHECKPOINTS_DIR.key(),
          "execution.checkpointing.incremental", INCREMENTAL_CHECKPOINTS.key(),
          "execution.checkpointing.num-retained", RETAINED_CHECKPOINTS.key(),
          "execution.state-recovery.claim-mode", RESTORE_MODE.key());

  /** Key prefixes that belong to the runtime: an unknown key under them is an error. */
  private static final List<String> OWN_PREFIXES =
      List.of("state.", "execution.", "restart-strategy.", "pipeline.", "coordinator.");

  /** Key families passed through to a component that validates them itself. */
  private static final List<String> PASS_THROUGH_PREFIXES = List.of("fs.", "dfs.", "kafka.");

  public static boolean isKnown(String key) {
    return BY_KEY.containsKey(key) || PASS_THROUGH_PREFIXES.stream().anyMatch(key::startsWith);
  }

  /** The key the runtime knows {@code key} by: itself, or the older name of a Flink spelling. */
  public static String canonicalKey(String key) {
    return FLINK_SPELLINGS.getOrDefault(key, key);
  }

  /** Whether an unknown {@code key} is a mistake rather than a setting of something else. */
  public static boolean isUnderOwnPrefix(String key) {
    return OWN_PREFIXES.stream().anyMatch(key::startsWith);
  }

  /** The known key nearest to {@code key} in spelling, if one is close enough to be meant. */
  public static java.util.Optional<String> nearestKnownKey(String key) {
    return java.util.stream.Stream.concat(
            BY_KEY.keySet().stream(), FLINK_SPELLINGS.keySet().stream())
        .min(java.util.Comparator.comparingInt(known -> EditDistance.between(key, known)))
        .filter(known -> EditDistance.between(key, known) <= 3);
  }

  public static java.util.Optional<ConfigOption<?>> byKey(String key) {
    return java.util.Optional.ofNullable(BY_KEY.get(key));
  }
}
