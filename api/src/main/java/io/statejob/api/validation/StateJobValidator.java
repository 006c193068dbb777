package io.statejob.api.validation;

import io.statejob.api.config.ConfigOption;
import io.statejob.api.config.ConfigValues;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.api.model.CheckpointsSpec;
import io.statejob.api.model.ReadProblem;
import io.statejob.api.model.SavepointsSpec;
import io.statejob.api.model.StateBackendSpec;
import io.statejob.api.model.StateBackendType;
import io.statejob.api.model.StateJob;
import io.statejob.api.model.StateJobSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a StateJob beyond what its schema can express. Shared by {@code statejob validate}, the
 * local runner and the operator, so each reports the same message for the same mistake.
 */
public final class StateJobValidator {
  /** Highest number of key groups; key group ids must fit in two bytes of a RocksDB key. */
  public static final int MAX_KEY_GROUPS = 32768;

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private static final List<String> BUILT_IN_BACKENDS =
      List.of("memory", "jobmanager", "hashmap", "filesystem", "rocksdb");
  private static final int MAX_CONFIG_KEY = 253;
  private static final int MAX_CONFIG_VALUE = 65536;

  private StateJobValidator() {}

  public static ValidationResult validate(StateJob job) {
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    if (!StateJob.API_VERSION.equals(job.getApiVersion())) {
      errors.add("apiVersion: expected " + StateJob.API_VERSION + ", got " + job.getApiVersion());
    }
    validateName(job, errors);
    StateJobSpec spec = job.getSpec();
    if (spec == null) {
      errors.add("spec: required");
      return new ValidationResult(errors, warnings);
    }
    validateReadProblems(job, errors, warnings);
    int before = errors.size();
    SizeLimits.check(spec, "spec", errors);
    validateConfigSizes(spec, errors);
    if (errors.size() > before || Credentials.refuse(spec, errors)) {
      // a value too long or secret is checked no further: no parser meets a megabyte, and no
      // message repeats a secret
      return new ValidationResult(List.copyOf(errors), List.copyOf(warnings));
    }
    validateJob(spec, errors);
    validateParallelism(spec, errors);
    validateBackend(spec, errors);
    validateCheckpoints(spec.checkpoints, errors);
    if (spec.upgrade != null) {
      checkPositiveDuration("spec.upgrade.readinessTimeout", spec.upgrade.readinessTimeout, errors);
    }
    if (spec.savepoints != null) {
      checkPositiveDuration("spec.savepoints.interval", spec.savepoints.interval, errors);
      checkPositiveDuration("spec.savepoints.maxAge", spec.savepoints.maxAge, errors);
      if (spec.savepoints.maxCount != null
          && (spec.savepoints.maxCount < 1
              || spec.savepoints.maxCount > SavepointsSpec.MAX_COUNT)) {
        errors.add(
            "spec.savepoints.maxCount: must be between 1 and "
                + SavepointsSpec.MAX_COUNT
                + ", got "
                + spec.savepoints.maxCount);
      }
    }
    if (spec.restore != null && spec.restore.redeployNonce != null && spec.restore.path == null) {
      errors.add(
          "spec.restore.redeployNonce: needs spec.restore.path, the snapshot to redeploy from");
    }
    validateConfig(spec, errors, warnings);
    return new ValidationResult(List.copyOf(errors), List.copyOf(warnings));
  }

  /** What the operator could not read: the spec says more than it would run with. */
  private static void validateReadProblems(
      StateJob job, List<String> errors, List<String> warnings) {
    for (ReadProblem problem : job.readProblems()) {
      if (problem.field().startsWith("spec")) {
        (problem.valueLost() ? errors : warnings).add(problem.toString());
      }
    }
  }

  private static void validateName(StateJob job, List<String> errors) {
    String name = job.getMetadata() == null ? null : job.getMetadata().getName();
    if (name == null || name.isBlank()) {
      errors.add("metadata.name: required");
    } else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      errors.add(
          "metadata.name: "
              + ConfigValues.quoted(name)
              + " is not a valid name (at most 253 lower-case letters, digits, '-' and '.')");
    }
  }

  private static void validateJob(StateJobSpec spec, List<String> errors) {
    if (spec.job == null || spec.job.className == null || spec.job.className.isBlank()) {
      errors.add("spec.job.className: required (a class implementing StateJobProgram)");
    } else if (!isClassName(spec.job.className)) {
      errors.add(
          "spec.job.className: "
              + ConfigValues.quoted(spec.job.className)
              + " is not a Java class name");
    }
  }

  /**
   * Whether {@code name} is dot-separated Java identifiers. Not a regular expression: a repeated
   * group recurses per segment in {@code java.util.regex}, and 2,000 segments overflowed the stack.
   */
  private static boolean isClassName(String name) {
    for (String identifier : name.split("\\.", -1)) {
      if (identifier.isEmpty()
          || !Character.isJavaIdentifierStart(identifier.codePointAt(0))
          || !identifier.codePoints().skip(1).allMatch(Character::isJavaIdentifierPart)) {
        return false;
      }
    }
    return true;
  }

  /**
   * What a spec may name as {@code state.backend}: as {@code stateBackend.type} allows, a built-in
   * backend (with Flink's names) or a factory class. Short names that plug-ins register are for
   * local configs, where the plug-in is known to be on the class path.
   */
  private static boolean isBackend(String name) {
    return BUILT_IN_BACKENDS.contains(name.toLowerCase(java.util.Locale.ROOT))
        || name.contains(".") && isClassName(name);
  }

  /** A config key is a Kubernetes-sized name; a value is long only by mistake. */
  private static void validateConfigSizes(StateJobSpec spec, List<String> errors) {
    if (spec.config == null) {
      return;
    }
    spec.config.forEach(
        (key, value) -> {
          if (key.length() > MAX_CONFIG_KEY) {
            errors.add(
                "spec.config: a key of "
                    + key.length()
                    + " characters, more than the "
                    + MAX_CONFIG_KEY
                    + " allowed: "
                    + ConfigValues.quoted(key));
          } else if (value != null && value.length() > MAX_CONFIG_VALUE) {
            errors.add(
                "spec.config."
                    + key
                    + ": "
                    + value.length()
                    + " characters, more than the "
                    + MAX_CONFIG_VALUE
                    + " allowed");
          }
        });
  }

  private static void validateParallelism(StateJobSpec spec, List<String> errors) {
    if (spec.parallelism != null && spec.parallelism < 1) {
      errors.add("spec.parallelism: must be at least 1, got " + spec.parallelism);
    }
    if (spec.maxParallelism != null
        && (spec.maxParallelism < 1 || spec.maxParallelism > MAX_KEY_GROUPS)) {
      errors.add(
          "spec.maxParallelism: must be between 1 and "
              + MAX_KEY_GROUPS
              + ", got "
              + spec.maxParallelism);
    }
    int parallelism = spec.parallelism == null ? 1 : spec.parallelism;
    int maxParallelism =
        spec.maxParallelism == null
            ? RuntimeOptions.MAX_PARALLELISM.defaultValue().orElseThrow()
            : spec.maxParallelism;
    if (parallelism > maxParallelism) {
      errors.add(
          "spec.parallelism: "
              + parallelism
              + " is greater than spec.maxParallelism "
              + maxParallelism
              + "; every worker needs at least one key group");
    }
  }

  private static void validateBackend(StateJobSpec spec, List<String> errors) {
    StateBackendSpec backend = spec.stateBackend;
    StateBackendType type =
        backend == null || backend.type == null ? StateBackendType.MEMORY : backend.type;
    boolean hasUri = spec.checkpoints != null && spec.checkpoints.uri != null;
    if ((type == StateBackendType.ROCKSDB || type == StateBackendType.FILESYSTEM) && !hasUri) {
      errors.add("spec.checkpoints.uri is required for the rocksdb and filesystem backends");
    }
    if (backend == null) {
      return;
    }
    if (type == StateBackendType.CUSTOM) {
      if (backend.factoryClass == null || backend.factoryClass.isBlank()) {
        errors.add("spec.stateBackend.factoryClass: required when type is custom");
      } else if (!isClassName(backend.factoryClass)) {
        errors.add(
            "spec.stateBackend.factoryClass: "
                + ConfigValues.quoted(backend.factoryClass)
                + " is not a Java class name");
      }
    } else if (backend.factoryClass != null) {
      errors.add("spec.stateBackend.factoryClass: only allowed when type is custom");
    }
    if (backend.incremental != null && type != StateBackendType.ROCKSDB) {
      errors.add(
          "spec.stateBackend.incremental: only the rocksdb backend has incremental"
              + " checkpoints");
    }
    if (backend.localStorage != null && type != StateBackendType.ROCKSDB) {
      errors.add("spec.stateBackend.localStorage: only the rocksdb backend uses local storage");
    }
    if (backend.maxStateSize != null) {
      if (type != StateBackendType.MEMORY) {
        errors.add("spec.stateBackend.maxStateSize: only allowed for the memory backend");
      }
      checkValue(
          "spec.stateBackend.maxStateSize", backend.maxStateSize, ConfigValues::parseBytes, errors);
    }
    if (backend.asyncSnapshots != null && type == StateBackendType.ROCKSDB) {
      errors.add("spec.stateBackend.asyncSnapshots: rocksdb snapshots are always asynchronous");
    }
  }

  private static void validateCheckpoints(CheckpointsSpec checkpoints, List<String> errors) {
    if (checkpoints == null) {
      return;
    }
    if (checkpoints.uri != null) {
      uriProblem(checkpoints.uri).ifPresent(p -> errors.add("spec.checkpoints.uri: " + p));
    }
    checkPositiveDuration("spec.checkpoints.interval", checkpoints.interval, errors);
    checkPositiveDuration("spec.checkpoints.timeout", checkpoints.timeout, errors);
    checkPositiveDuration("spec.checkpoints.maxAge", checkpoints.maxAge, errors);
    if (checkpoints.retained != null
        && (checkpoints.retained < 1 || checkpoints.retained > CheckpointsSpec.MAX_RETAINED)) {
      errors.add(
          "spec.checkpoints.retained: must be between 1 and "
              + CheckpointsSpec.MAX_RETAINED
              + ", got "
              + checkpoints.retained);
    }
    if (checkpoints.tolerableFailures != null && checkpoints.tolerableFailures < 0) {
      errors.add(
          "spec.checkpoints.tolerableFailures: must not be negative, got "
              + checkpoints.tolerableFailures);
    }
  }

  /**
   * What is wrong with the configuration a job would run with, after every layer (cluster config,
   * spec, {@code -D}) is applied: the same checks as the spec's fields, so a flag cannot start a
   * job the spec would refuse. Empty when it can run.
   */
  public static List<String> effectiveConfigProblems(RuntimeConfig config) {
    List<String> problems = new ArrayList<>(config.invalidValues());
    problems.addAll(config.unknownOwnKeys());
    config
        .getRaw(RuntimeOptions.CHECKPOINTS_DIR.key())
        .flatMap(StateJobValidator::uriProblem)
        .ifPresent(p -> problems.add(RuntimeOptions.CHECKPOINTS_DIR.key() + ": " + p));
    if (problems.isEmpty()
        && config.get(RuntimeOptions.PARALLELISM) > config.get(RuntimeOptions.MAX_PARALLELISM)) {
      problems.add(
          RuntimeOptions.PARALLELISM.key()
              + ": "
              + config.get(RuntimeOptions.PARALLELISM)
              + " is greater than "
              + RuntimeOptions.MAX_PARALLELISM.key()
              + " "
              + config.get(RuntimeOptions.MAX_PARALLELISM)
              + "; every worker needs at least one key group");
    }
    return problems;
  }

  /** Why {@code uri} cannot hold checkpoints, if it cannot. */
  public static java.util.Optional<String> uriProblem(String uri) {
    try {
      URI parsed = new URI(uri);
      String scheme = parsed.getScheme();
      if (scheme == null) {
        return java.util.Optional.of(
            ConfigValues.quoted(uri)
                + " has no scheme; use file:///absolute/path, s3a://bucket/prefix or"
                + " hdfs://namenode:port/path");
      }
      // any other scheme is tried through Hadoop's FileSystem, which says if it has none for it
      String remedy =
          switch (scheme) {
            case "s3", "s3n" -> "write s3a://, the Hadoop S3A connector";
            case "http", "https" ->
                "checkpoints need a writable file system: file://, s3a://, hdfs://";
            default -> null;
          };
      if (remedy != null) {
        return java.util.Optional.of(
            "unsupported scheme '" + scheme + "' in " + ConfigValues.quoted(uri) + "; " + remedy);
      }
      if (scheme.equals("s3a") && (parsed.getHost() == null || parsed.getHost().isBlank())) {
        return java.util.Optional.of(
            ConfigValues.quoted(uri) + " names no bucket (s3a://bucket/prefix)");
      }
      return java.util.Optional.empty();
    } catch (URISyntaxException e) {
      return java.util.Optional.of(ConfigValues.quoted(uri) + " is not a URI: " + e.getReason());
    }
  }

  private static void checkPositiveDuration(String field, String raw, List<String> errors) {
    if (raw == null) {
      return;
    }
    try {
      java.time.Duration duration = ConfigValues.parseDuration(raw.trim());
      if (duration.isNegative() || duration.isZero()) {
        errors.add(field + ": must be positive, got " + raw);
      }
    } catch (IllegalArgumentException e) {
      errors.add(field + ": " + e.getMessage());
    }
  }

  private static void checkValue(
      String field,
      String raw,
      java.util.function.Function<String, ?> parser,
      List<String> errors) {
    try {
      parser.apply(raw.trim());
    } catch (IllegalArgumentException e) {
      errors.add(field + ": " + e.getMessage());
    }
  }

  private static void validateConfig(
      StateJobSpec spec, List<String> errors, List<String> warnings) {
    if (spec.config == null) {
      return;
    }
    RuntimeConfig config = RuntimeConfig.of(spec.config);
    config.invalidValues().forEach(problem -> errors.add("spec.config." + problem));
    config
        .getRaw(RuntimeOptions.STATE_BACKEND.key())
        .filter(name -> !isBackend(name.trim()))
        .ifPresent(
            name ->
                errors.add(
                    "spec.config."
                        + RuntimeOptions.STATE_BACKEND.key()
                        + ": "
                        + ConfigValues.quoted(name)
                        + " is none of "
                        + String.join(", ", BUILT_IN_BACKENDS)
                        + ", nor a StateBackendFactory class name (package.Class)"));
    config.unknownOwnKeys().forEach(problem -> errors.add("spec.config." + problem));
    config.unknownKeys().stream()
        .filter(key -> !RuntimeOptions.isUnderOwnPrefix(key))
        .forEach(key -> warnings.add("spec.config." + key + ": unknown runtime configuration key"));
    config
        .getRaw(RuntimeOptions.CHECKPOINTS_DIR.key())
        .flatMap(StateJobValidator::uriProblem)
        .ifPresent(
            p -> errors.add("spec.config." + RuntimeOptions.CHECKPOINTS_DIR.key() + ": " + p));
    for (ConfigOption<?> option :
        java.util.List.of(RuntimeOptions.PARALLELISM, RuntimeOptions.MAX_PARALLELISM)) {
      if (config.getRaw(option.key()).isPresent()) {
        warnings.add(
            "spec.config."
                + option.key()
                + ": set spec."
                + (option == RuntimeOptions.PARALLELISM ? "parallelism" : "maxParallelism")
                + " instead");
      }
    }
  }
}
