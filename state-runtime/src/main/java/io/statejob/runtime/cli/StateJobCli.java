package io.statejob.runtime.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code statejob} command. */
@Command(
    name = "statejob",
    mixinStandardHelpOptions = true,
    versionProvider = StateJobCli.Version.class,
    description = "Runs and inspects StateJob stateful stream jobs.",
    subcommands = {
      RunCommand.class,
      BenchCommand.class,
      ValidateCommand.class,
      CheckpointsCommand.class,
      CoordinatorCommand.class,
      WorkerCommand.class
    })
public final class StateJobCli {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with StateJob's error handling: one clear line, no stack trace. */
  public static CommandLine commandLine() {
    return new CommandLine(new StateJobCli())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              cmd.getErr().println("error: " + e.getMessage());
              return 2;
            });
  }

  /** Version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = StateJobCli.class.getPackage().getImplementationVersion();
      return new String[] {"statejob " + (version == null ? "dev" : version)};
    }
  }
}
