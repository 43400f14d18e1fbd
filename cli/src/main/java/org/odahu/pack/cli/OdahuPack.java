package org.odahu.pack.cli;

import org.odahu.pack.artifact.files.TemporaryFiles;
import org.odahu.pack.cli.deploy.DeployCommand;
import org.odahu.pack.commandline.Executables;
import org.odahu.pack.server.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code odahu-pack} command: packages ODAHU models into OCI images without a Docker daemon,
 * serves them, runs them on files, and calls served models. Exit codes: 0 success, 1 failure, 2
 * command-line mistake.
 */
@Command(
    name = "odahu-pack",
    mixinStandardHelpOptions = true,
    description =
        "Package ODAHU trained models into OCI images without a Docker daemon, and serve them.",
    footer = {"", "Exit codes: 0 success, 1 failure, 2 command-line mistake.", "Docs: README.md"},
    subcommands = {
      PackCommand.class,
      ServeCommand.class,
      LocalModelCommands.Predict.class,
      LocalModelCommands.ShowInfo.class,
      LocalModelCommands.Gppi.class,
      ModelCommand.class,
      ImageCommand.class,
      BaseImageCommand.class,
      DeployCommand.class,
      ClusterPackCommands.AnyLayout.class,
      ClusterPackCommands.Rest.class,
      ClusterPackCommands.Cli.class,
      CompletionCommand.class
    })
public final class OdahuPack implements Runnable {

  @Option(names = "--verbose", description = "Debug logging; stack traces on errors.")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The command line with odahu-pack's error handling; every command takes {@code --help}, {@code
   * --version} and {@code --verbose}.
   */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new OdahuPack(), new Factory());
    standardOptions(commandLine);
    return Executables.withEdge(commandLine);
  }

  /** Makes the commands; {@code serve} gets what its {@code --install-deps} needs. */
  private static final class Factory implements CommandLine.IFactory {
    private final CommandLine.IFactory defaults = CommandLine.defaultFactory();

    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == ServeCommand.class) {
        return type.cast(new ServeCommand(LocalDependencies.ofThisProcess()));
      }
      return defaults.create(type);
    }
  }

  private static void standardOptions(CommandLine command) {
    CommandLine.Model.CommandSpec spec = command.getCommandSpec();
    spec.mixinStandardHelpOptions(true);
    spec.versionProvider(new VersionProvider());
    if (spec.findOption("--verbose") == null) {
      spec.addMixin(
          "verbose", CommandLine.Model.CommandSpec.forAnnotatedObject(new VerboseOption()));
    }
    if (command.getCommand() instanceof ImageCommand.Run) {
      // The entrypoint's own options (e.g. predict --output_file_name) pass through to it.
      command.setUnmatchedOptionsArePositionalParams(true);
    }
    command.getSubcommands().values().forEach(OdahuPack::standardOptions);
  }

  /**
   * Runs the command line and exits with its exit code; {@code $TMPDIR}, when set, is where
   * temporary files go (as for the images' own executables).
   */
  public static void main(String[] args) {
    // Before anything reads java.io.tmpdir: Netty keeps the value it reads first.
    TemporaryFiles.followTmpdir(System.getenv());
    Executables.main(commandLine(), args);
  }
}
