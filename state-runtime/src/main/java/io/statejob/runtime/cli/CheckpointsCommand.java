package io.statejob.runtime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.statejob.api.config.ConfigValues;
import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeConfigYaml;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.snapshot.DamagedSnapshotException;
import io.statejob.runtime.snapshot.IncrementalHandle;
import io.statejob.runtime.snapshot.StateMeta;
import io.statejob.runtime.snapshot.SubtaskState;
import io.statejob.runtime.storage.CheckpointVerifier;
import io.statejob.runtime.storage.Checkpoints;
import io.statejob.runtime.storage.FileSystemCheckpointStorage;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code statejob checkpoints list|verify|inspect|dump|delete}. */
@Command(
    name = "checkpoints",
    mixinStandardHelpOptions = true,
    description = "Lists, verifies, inspects, dumps and deletes checkpoints.",
    subcommands = {
      CheckpointsCommand.ListCheckpoints.class,
      CheckpointsCommand.Verify.class,
      CheckpointsCommand.Inspect.class,
      CheckpointsCommand.Dump.class,
      CheckpointsCommand.Delete.class
    })
final class CheckpointsCommand {

  /** Options every checkpoints subcommand takes. */
  static final class StorageOptions {
    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "A runtime config file (statejob.yaml) with the storage's keys")
    Path configFile;

    @Option(
        names = "-D",
        paramLabel = "KEY=VALUE",
        description = "Sets a runtime configuration key, e.g. fs.s3a.endpoint")
    Map<String, String> properties = new LinkedHashMap<>();

    RuntimeConfig config() throws IOException {
      RuntimeConfig fromFile =
          configFile == null ? RuntimeConfig.empty() : RuntimeConfigYaml.read(configFile);
      return fromFile.overriddenBy(RuntimeConfig.of(properties));
    }
  }

  /** The path every subcommand takes, its storage options, and its own command spec. */
  abstract static class PathCommand implements Callable<Integer> {
    @Parameters(
        paramLabel = "PATH",
        description =
            "A checkpoint (chk-N), a job's checkpoint directory, or a base directory holding one"
                + " job; for inspect and dump, the newest valid checkpoint under it")
    String path;

    @Mixin StorageOptions storage;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    /**
     * The snapshot to show, every file verified: one named by its path must be intact; under a
     * job's directory, damaged ones are passed over with a warning.
     */
    CompletedCheckpoint loadIntact() throws IOException {
      PrintWriter err = spec.commandLine().getErr();
      CompletedCheckpoint checkpoint =
          Checkpoints.loadIntact(
              path, storage.config(), skipped -> err.println("warning: " + skipped));
      err.flush();
      return checkpoint;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Reads every file of one checkpoint or savepoint, or of all of a job's, and checks its size"
            + " and checksum against the metadata. Exits 1 naming each damaged file."
      })
  static final class Verify extends PathCommand {

    @Override
    public Integer call() throws Exception {
      PrintWriter out = out();
      CheckpointVerifier verifier = new CheckpointVerifier(storage.config());
      boolean intact = true;
      for (Checkpoints.Listing listing : Checkpoints.list(path, storage.config())) {
        if (listing.checkpoint() == null) {
          out.printf(Locale.ROOT, "INVALID  %s: %s%n", listing.path(), listing.problem());
          intact = false;
          continue;
        }
        List<DamagedSnapshotException> damage = verifier.damage(listing.checkpoint());
        if (damage.isEmpty()) {
          out.printf(
              Locale.ROOT,
              "OK       %s (%d files, %s)%n",
              listing.path(),
              listing.checkpoint().metadata().files().size(),
              ConfigValues.formatBytes(listing.checkpoint().metadata().stateSize()));
        } else {
          out.printf(
              Locale.ROOT, "DAMAGED  %s%n", Checkpoints.describeDamage(listing.path(), damage));
          intact = false;
        }
      }
      out.flush();
      return intact ? 0 : 1;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists checkpoints, newest last.")
  static final class ListCheckpoints extends PathCommand {

    @Override
    public Integer call() throws Exception {
      PrintWriter out = out();
      List<Checkpoints.Listing> listings = Checkpoints.list(path, storage.config());
      out.printf(
          Locale.ROOT,
          "%-6s %-24s %-10s %-11s %s%n",
          "ID",
          "COMPLETED",
          "SIZE",
          "PARALLELISM",
          "PATH");
      for (Checkpoints.Listing listing : listings) {
        if (listing.checkpoint() == null) {
          out.printf(
              Locale.ROOT,
              "%-6d %-24s %-10s %-11s %s%n",
              listing.id(),
              "INVALID",
              "-",
              "-",
              listing.path() + "  (" + listing.problem() + ")");
          continue;
        }
        CompletedCheckpoint c = listing.checkpoint();
        out.printf(
            Locale.ROOT,
            "%-6d %-24s %-10s %-11d %s%n",
            c.id(),
            Instant.ofEpochMilli(c.metadata().completedAt()),
            ConfigValues.formatBytes(c.metadata().stateSize()),
            c.metadata().parallelism(),
            c.path());
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description =
          "Deletes every checkpoint of the job whose directory (<checkpoint dir>/<job id>) is"
              + " given, and its shared files; its savepoints stay.")
  static final class Delete implements Callable<Integer> {
    @Parameters(paramLabel = "JOB_DIR", description = "The job's checkpoint directory")
    String jobDir;

    @Mixin StorageOptions storage;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      // the storage of a job is its base directory and its id, the job directory's last name
      org.apache.hadoop.fs.Path path =
          new org.apache.hadoop.fs.Path(Checkpoints.toUri(jobDir.replaceAll("/+$", "")));
      URI base = path.getParent().toUri();
      RuntimeConfig config = storage.config();
      int deleted =
          new FileSystemCheckpointStorage(base, path.getName(), config, 0).deleteCheckpoints();
      spec.commandLine()
          .getOut()
          .printf(Locale.ROOT, "deleted %d checkpoints under %s%n", deleted, jobDir);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(
      name = "inspect",
      mixinStandardHelpOptions = true,
      description = "Shows a checkpoint's metadata: backend, states, key groups, files, sizes.")
  static final class Inspect extends PathCommand {

    @Override
    public Integer call() throws Exception {
      CompletedCheckpoint checkpoint = loadIntact();
      ObjectMapper yaml =
          new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
      out().print(yaml.writeValueAsString(describe(checkpoint)));
      out().flush();
      return 0;
    }

    private static Map<String, Object> describe(CompletedCheckpoint checkpoint) {
      Map<String, Object> result = new LinkedHashMap<>();
      var metadata = checkpoint.metadata();
      result.put("id", checkpoint.id());
      result.put("path", checkpoint.path());
      result.put("jobId", metadata.jobId());
      result.put("type", metadata.type().name().toLowerCase(Locale.ROOT));
      result.put("backend", metadata.backend());
      result.put("completedAt", Instant.ofEpochMilli(metadata.completedAt()).toString());
      result.put("durationMs", metadata.completedAt() - metadata.triggeredAt());
      result.put("final", metadata.finalCheckpoint());
      result.put("maxParallelism", metadata.maxParallelism());
      result.put("parallelism", metadata.parallelism());
      result.put("stateSize", ConfigValues.formatBytes(metadata.stateSize()));
      result.put("stateSizeBytes", metadata.stateSize());
      if (metadata.isIncremental()) {
        result.put("incremental", true);
        result.put("uploadedBytes", metadata.uploadedSize());
      }
      result.put("alignmentMs", metadata.alignmentMillis());
      Map<String, Object> splits = new LinkedHashMap<>();
      metadata
          .splits()
          .forEach(
              (split, position) -> {
                Map<String, Object> at = new LinkedHashMap<>();
                at.put("offset", position.offset());
                if (position.maxTimestamp() != Long.MIN_VALUE) {
                  at.put("maxTimestamp", position.maxTimestamp());
                }
                splits.put(split, at);
              });
      result.put("splits", splits);
      result.put("subtasks", metadata.subtasks().stream().map(Inspect::describe).toList());
      return result;
    }

    /** Shared files are named {@code chk-<n>-...} after the checkpoint that uploaded them. */
    private static String uploadedBy(String path) {
      String name = path.substring(path.lastIndexOf('/') + 1);
      return name.substring("chk-".length(), name.indexOf('-', "chk-".length()));
    }

    private static Map<String, Object> describe(SubtaskState subtask) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("subtask", subtask.subtask());
      result.put("stage", subtask.stage());
      result.put("keyGroups", subtask.keyGroupRange().toString());
      result.put(
          "file", subtask.stream().isInline() ? "inline in _metadata" : subtask.stream().path());
      result.put("sizeBytes", subtask.stateSize());
      if (subtask.incremental().isPresent()) {
        IncrementalHandle files = subtask.incremental().get();
        Map<String, Object> shared = new LinkedHashMap<>();
        files
            .sharedFiles()
            .forEach(
                (name, file) ->
                    shared.put(
                        name,
                        Map.of(
                            "path", file.path(),
                            "sizeBytes", file.size(),
                            "uploadedBy", "chk-" + uploadedBy(file.path()))));
        result.put("sharedFiles", shared);
        result.put("ownFiles", files.privateFiles().keySet());
      }
      Map<String, Object> states = new LinkedHashMap<>();
      for (StateMeta state : subtask.keyedStates()) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("kind", state.kind().name().toLowerCase(Locale.ROOT));
        s.put("key", state.keySerializer());
        if (state.userKeySerializer() != null) {
          s.put("mapKey", state.userKeySerializer());
        }
        s.put("value", state.valueSerializer());
        s.put("sizeBytes", subtask.stateSizes().getOrDefault(state.name(), 0L));
        states.put(state.name(), s);
      }
      result.put("keyedStates", states);
      Map<String, Object> operatorStates = new LinkedHashMap<>();
      subtask
          .operatorStates()
          .forEach(
              name ->
                  operatorStates.put(
                      name, Map.of("sizeBytes", subtask.stateSizes().getOrDefault(name, 0L))));
      result.put("operatorStates", operatorStates);
      return result;
    }
  }

  @Command(
      name = "dump",
      mixinStandardHelpOptions = true,
      description = {
        "Prints every state entry of the newest completed checkpoint under PATH (or the one given), one JSON object per line, in a deterministic order."
      })
  static final class Dump extends PathCommand {
    @Option(
        names = "--jar",
        paramLabel = "FILE",
        description = "Jar with the job's classes, for POJO state")
    Path jar;

    @Override
    public Integer call() throws Exception {
      CompletedCheckpoint checkpoint = loadIntact();
      PrintWriter out = out();
      for (String line : StateDump.lines(checkpoint, storage.config(), classLoader())) {
        out.println(line);
      }
      out.flush();
      return 0;
    }

    private ClassLoader classLoader() throws MalformedURLException {
      ClassLoader own = Dump.class.getClassLoader();
      return jar == null ? own : new URLClassLoader(new URL[] {jar.toUri().toURL()}, own);
    }
  }
}
