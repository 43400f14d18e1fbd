package org.odahu.pack.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.odahu.pack.cli.deploy.DeployCommand;
import org.odahu.pack.commandline.Executables;
import org.odahu.pack.commandline.LauncherArchive;
import org.odahu.pack.gppi.cpython.EarlyWorker;
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
    footer = {"", "Exit codes: 0 success, 1 failure, 2 command-line mistake.", "Docs: README.md"})
public final class OdahuPack implements Runnable {
  /** The subcommands, in the order help lists them. */
  private static final List<Class<?>> SUBCOMMANDS =
      List.of(
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
          CompletionCommand.class,
          HelpCommand.class);

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
    return commandLine(type -> true, EarlyWorker.NONE);
  }

  /**
   * The command line as {@link #commandLine()} behaves on {@code args}: only the subcommand that
   * {@code args} names is built in full; the others are stand-ins with their name and description,
   * all that help and suggestions read. Building every command's options (their types and
   * converters load Jackson, Jib and Netty classes) is most of what {@code --help} and {@code
   * --version} cost.
   */
  static CommandLine commandLine(String[] args) {
    return commandLine(args, EarlyWorker.NONE);
  }

  /**
   * As {@link #commandLine(String[])}; a model's first worker may take over {@code earlyWorker}.
   */
  static CommandLine commandLine(String[] args, EarlyWorker earlyWorker) {
    Optional<String> named = pageOf(subcommandName(args), args);
    if (named.isEmpty() || isNamed(CompletionCommand.class, named.get())) {
      // An argument file may name anything; completion lists everything.
      return commandLine(type -> true, earlyWorker);
    }
    return commandLine(type -> isNamed(type, named.get()), earlyWorker);
  }

  private static CommandLine commandLine(Predicate<Class<?>> inFull, EarlyWorker earlyWorker) {
    Factory factory = new Factory(earlyWorker);
    CommandLine commandLine = new CommandLine(new OdahuPack(), factory);
    for (Class<?> type : SUBCOMMANDS) {
      boolean full = inFull.test(type) || type == HelpCommand.class; // help is small
      commandLine.addSubcommand(full ? new CommandLine(type, factory) : standIn(type));
    }
    standardOptions(commandLine);
    return Executables.withEdge(commandLine);
  }

  /**
   * The first argument that is not one of the top-level options (none takes a value), or empty when
   * the arguments may hide it: an {@code @argument-file} or {@code --}.
   */
  private static Optional<String> subcommandName(String[] args) {
    for (String arg : args) {
      if (arg.startsWith("@") || arg.equals("--")) {
        return Optional.empty();
      }
      if (!arg.startsWith("-")) {
        return Optional.of(arg);
      }
    }
    return Optional.of("");
  }

  /** For {@code help COMMAND}, the name of COMMAND, whose page needs it built in full. */
  private static Optional<String> pageOf(Optional<String> named, String[] args) {
    if (named.isEmpty() || !isNamed(HelpCommand.class, named.get())) {
      return named;
    }
    int at = Arrays.asList(args).indexOf(named.get());
    return subcommandName(Arrays.copyOfRange(args, at + 1, args.length));
  }

  private static boolean isNamed(Class<?> type, String name) {
    Command command = type.getAnnotation(Command.class);
    return command.name().equals(name) || Arrays.asList(command.aliases()).contains(name);
  }

  private static CommandLine standIn(Class<?> type) {
    Command command = type.getAnnotation(Command.class);
    CommandLine.Model.CommandSpec spec =
        CommandLine.Model.CommandSpec.create().name(command.name()).aliases(command.aliases());
    spec.usageMessage()
        .header(command.header())
        .description(command.description())
        .hidden(command.hidden());
    return new CommandLine(spec);
  }

  /**
   * Makes the commands; {@code serve} gets what its {@code --install-deps} needs, the local model
   * commands the early worker.
   */
  private static final class Factory implements CommandLine.IFactory {
    private final CommandLine.IFactory defaults = CommandLine.defaultFactory();
    private final EarlyWorker earlyWorker;

    Factory(EarlyWorker earlyWorker) {
      this.earlyWorker = earlyWorker;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == ServeCommand.class) {
        return type.cast(new ServeCommand(LocalDependencies.ofThisProcess()));
      }
      if (type == ModelRunOptions.class) {
        return type.cast(new ModelRunOptions(earlyWorker));
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
    if (printVersion(args, System.out) || HelpPage.print(args, System.out)) {
      if (Executables.standardOutputPipeClosed()) {
        System.exit(Executables.CLOSED_PIPE);
      }
      if (System.out.checkError()) { // System.out only remembers that a write failed
        System.err.println("Error: " + Executables.STANDARD_OUTPUT_FAILED);
        System.exit(1);
      }
      LauncherArchive.dumpIfAsked(0);
      return; // status 0; System.exit would first look for a logger on the whole class path
    }
    Executables.prepare(System.getenv()); // first: the worker's script goes to $TMPDIR
    // predict, info and gppi test start their model's worker now, while picocli builds and parses
    // the command line (~0.3 s sooner).
    EarlyWorker earlyWorker = LocalEarlyWorker.start(args, System.getenv());
    Executables.main(commandLine(args, earlyWorker), args);
  }

  /**
   * Answers a lone {@code --version} (or {@code -V}) as picocli would, without picocli: building
   * the command line costs a cold JVM ~0.15 s, more than the rest of the answer. Anything else is
   * left to the command line.
   *
   * @return whether {@code args} asked for the version alone, now printed to {@code out}
   */
  static boolean printVersion(String[] args, PrintStream out) {
    if (args.length != 1 || !(args[0].equals("--version") || args[0].equals("-V"))) {
      return false;
    }
    ProductVersion.lines().forEach(out::println);
    out.flush();
    return true;
  }
}
